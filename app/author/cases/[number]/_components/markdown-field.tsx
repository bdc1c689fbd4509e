"use client";

import { useEffect, useState } from "react";
import { previewMarkdownAction } from "../../actions";

type Props = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  hint?: string;
  errors?: string[];
};

/**
 * A markdown textarea with a live preview beside it. The preview is rendered on the server by the same
 * sanitiser as the published case (lib/markdown), so what the author sees is what residents will get.
 */
export function MarkdownField({ id, label, value, onChange, rows = 5, hint, errors }: Props) {
  const [showPreview, setShowPreview] = useState(false);
  const [html, setHtml] = useState("");
  useEffect(() => {
    if (!showPreview) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      previewMarkdownAction(value)
        .then((rendered) => {
          if (!cancelled) setHtml(rendered);
        })
        .catch(() => undefined);
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [value, showPreview]);

  return (
    <div className="field md-field">
      <div className="md-field-head">
        <label htmlFor={id}>{label}</label>
        <span className="muted md-hint">{hint ?? "Markdown"}</span>
        <button type="button" className="btn-link" aria-pressed={showPreview} aria-controls={`${id}-preview`} onClick={() => setShowPreview((s) => !s)}>
          {showPreview ? "Hide preview" : "Preview"}
        </button>
      </div>
      <div className={showPreview ? "md-split" : undefined}>
        <textarea id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={errors?.length ? true : undefined} />
        {showPreview ? (
          <div id={`${id}-preview`} className="md-preview prose" aria-live="polite" aria-label={`${label} preview`} data-testid={`${id}-preview`} dangerouslySetInnerHTML={{ __html: html }} />
        ) : null}
      </div>
      {errors?.map((e) => (
        <span key={e} className="field-error">
          {e}
        </span>
      ))}
    </div>
  );
}
