"use client";

import { useState } from "react";
import type { CoAuthorResult } from "@/lib/cases/editor";
import { addCoAuthorAction, removeCoAuthorAction } from "../../actions";
import type { CoAuthor } from "./editor-doc";

/** Share the case with other educators by email; they may then edit it like its author. */
export function CoAuthorsPanel({ caseId, authorName, initial }: { caseId: string; authorName: string | null; initial: CoAuthor[] }) {
  const [coAuthors, setCoAuthors] = useState(initial);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<CoAuthorResult>) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await action();
      if (result.ok) {
        setCoAuthors(result.coAuthors);
        setEmail("");
      } else setError(result.reason === "invalid" ? Object.values(result.fieldErrors).flat().join("; ") : "You may not change the authors of this case");
    } catch {
      setError("The server did not answer; try again");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card editor-section" aria-labelledby="authors-heading">
      <h3 id="authors-heading">Authors</h3>
      <p className="muted editor-help">Author: {authorName ?? "—"}</p>
      <ul className="co-authors" data-testid="co-authors">
        {coAuthors.map((a) => (
          <li key={a.id}>
            <span>
              {a.name} <span className="muted">{a.email}</span>
            </span>
            <button type="button" className="btn-link" disabled={busy} onClick={() => run(() => removeCoAuthorAction(caseId, a.id))} aria-label={`Remove ${a.name}`}>
              Remove
            </button>
          </li>
        ))}
        {coAuthors.length === 0 ? <li className="muted">No co-authors</li> : null}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => addCoAuthorAction(caseId, email));
        }}
      >
        <label htmlFor="co-author-email" className="visually-hidden">
          Co-author email
        </label>
        <div className="inline-row">
          <input id="co-author-email" type="email" placeholder="colleague@hospital.org" value={email} onChange={(e) => setEmail(e.target.value)} required />
          <button type="submit" className="btn" disabled={busy}>
            Add co-author
          </button>
        </div>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
