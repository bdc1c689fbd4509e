"use client";

import { useEffect, useState } from "react";

type Props = {
  id: string;
  label: string;
  value: string[];
  onChange: (value: string[]) => void;
  /** "lines": one entry a line (textarea); "commas": a comma-separated single line. */
  separator: "lines" | "commas";
  rows?: number;
  hint?: string;
  errors?: string[];
};

const split = (text: string, separator: Props["separator"]) => (text === "" ? [] : text.split(separator === "lines" ? "\n" : ","));
const join = (items: string[], separator: Props["separator"]) => (separator === "lines" ? items.join("\n") : items.map((s) => s.trim()).join(", "));
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x.trim() === b[i]?.trim());

/**
 * A list edited as text. The text the author types is kept as typed (so the cursor never jumps) and split into
 * entries on every change; the server trims and drops blanks. When the list changes from outside (a restored
 * draft), the text follows.
 */
export function ListField({ id, label, value, onChange, separator, rows = 3, hint, errors }: Props) {
  const [text, setText] = useState(() => join(value, separator));
  useEffect(() => {
    setText((current) => (same(split(current, separator), value) ? current : join(value, separator)));
  }, [value, separator]);
  const set = (t: string) => {
    setText(t);
    onChange(split(t, separator));
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {hint ? <span className="muted md-hint"> · {hint}</span> : null}
      </label>
      {separator === "lines" ? (
        <textarea id={id} rows={rows} value={text} onChange={(e) => set(e.target.value)} aria-invalid={errors?.length ? true : undefined} />
      ) : (
        <input id={id} value={text} onChange={(e) => set(e.target.value)} aria-invalid={errors?.length ? true : undefined} />
      )}
      {errors?.map((e) => (
        <span key={e} className="field-error">
          {e}
        </span>
      ))}
    </div>
  );
}
