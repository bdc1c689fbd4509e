"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { renameSeriesAction } from "../../actions";

export type SeriesNameRow = { id: string; description: string; suggestion: string; modality: string; seriesNumber: number | null; instanceCount: number };

type RowState = { value: string; saved: string; error?: string; busy?: boolean };

/**
 * The series of the case with the description residents see in the viewer overlay and series panel. Uploads
 * lose their original descriptions to de-identification (they may name the diagnosis), so the educator writes
 * neutral ones here; the suggestion comes from modality and plane.
 */
export function SeriesNamesPanel({ caseId, series }: { caseId: string; series: SeriesNameRow[] }) {
  const router = useRouter();
  const [rows, setRows] = useState<Record<string, RowState>>(() =>
    Object.fromEntries(series.map((s) => [s.id, { value: s.description || s.suggestion, saved: s.description }])),
  );
  const patch = (id: string, p: Partial<RowState>) => setRows((r) => ({ ...r, [id]: { ...r[id]!, ...p } }));

  async function save(id: string) {
    const row = rows[id];
    if (!row) return;
    patch(id, { busy: true, error: undefined });
    try {
      const result = await renameSeriesAction(caseId, { seriesId: id, description: row.value });
      if (result.ok) {
        patch(id, { busy: false, value: result.description, saved: result.description });
        router.refresh();
      } else {
        patch(id, { busy: false, error: result.reason === "invalid" ? Object.values(result.fieldErrors).flat().join("; ") : "You may not rename the series of this case" });
      }
    } catch {
      patch(id, { busy: false, error: "The server did not answer; try again" });
    }
  }

  return (
    <section className="card editor-section" aria-labelledby="series-heading" data-testid="series-names">
      <h3 id="series-heading">Series</h3>
      <p className="muted editor-help">What residents see in the viewer: plane and sequence (AX T2, SAG T1 FS POST GD), never the diagnosis.</p>
      {series.length === 0 ? <p className="muted editor-help">No images yet.</p> : null}
      <ul className="series-names">
        {series.map((s) => {
          const row = rows[s.id]!;
          const dirty = row.value.trim() !== row.saved;
          return (
            <li key={s.id} data-testid="series-name-row">
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void save(s.id);
                }}
              >
                <label htmlFor={`series-name-${s.id}`} className="muted series-names-label">
                  {s.modality} series {s.seriesNumber ?? "?"} · {s.instanceCount} {s.instanceCount === 1 ? "image" : "images"}
                  {row.saved ? null : <span className="chip">unnamed</span>}
                </label>
                <div className="inline-row">
                  <input
                    id={`series-name-${s.id}`}
                    type="text"
                    maxLength={64}
                    value={row.value}
                    placeholder={s.suggestion}
                    onChange={(e) => patch(s.id, { value: e.target.value, error: undefined })}
                    aria-invalid={row.error ? true : undefined}
                    data-testid="series-name-input"
                  />
                  <button type="submit" className="btn" disabled={row.busy || !dirty} data-testid="series-name-save">
                    {row.busy ? "Saving…" : dirty ? "Save" : "Saved"}
                  </button>
                </div>
                {row.error ? (
                  <p className="field-error" role="alert" data-testid="series-name-error">
                    {row.error}
                  </p>
                ) : null}
              </form>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
