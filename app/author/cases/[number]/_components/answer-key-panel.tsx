"use client";

import { useState } from "react";
import { tryAnswerAction, type TryAnswerResult } from "../../actions";
import type { EditorDoc } from "./editor-doc";
import { ListField } from "./list-field";

type Key = EditorDoc["answerKey"];
type Props = { value: Key; onChange: (key: Key) => void; errors: Record<string, string[]> };

const verdictLabels = { correct: "Correct", partial: "Partial credit", incorrect: "Incorrect", review: "Needs review" } as const;

/**
 * The answer key and a box to try answers against it live. The trial uses the key as it stands in the editor,
 * saved or not, with the same grader that will mark the residents (lib/grading).
 */
export function AnswerKeyPanel({ value, onChange, errors }: Props) {
  const [answer, setAnswer] = useState("");
  const [outcome, setOutcome] = useState<TryAnswerResult | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Key>) => onChange({ ...value, ...patch });

  async function tryIt(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      setOutcome(await tryAnswerAction(value, answer));
    } catch {
      setOutcome({ ok: false, message: "The server did not answer; try again" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card editor-section" aria-labelledby="key-heading">
      <h3 id="key-heading">Answer key</h3>
      <p className="muted editor-help">Never shown to residents. Phrases are matched after normalisation (abbreviations, spellings, typos).</p>
      <div className="field">
        <label htmlFor="key-diagnosis">Key diagnosis</label>
        <input id="key-diagnosis" value={value.diagnosis} onChange={(e) => set({ diagnosis: e.target.value })} aria-invalid={errors["answerKey.diagnosis"] ? true : undefined} />
        {errors["answerKey.diagnosis"]?.map((m) => (
          <span key={m} className="field-error">
            {m}
          </span>
        ))}
      </div>
      <ListField id="key-synonyms" label="Synonyms (fully correct)" hint="one a line" separator="lines" value={value.synonyms} onChange={(synonyms) => set({ synonyms })} errors={errors["answerKey.synonyms"]} />
      <ListField id="key-partial" label="Partial answers (half credit)" hint="one a line" separator="lines" value={value.partial} onChange={(partial) => set({ partial })} errors={errors["answerKey.partial"]} />
      <ListField id="key-reject" label="Near misses (never accepted)" hint="one a line" separator="lines" value={value.reject} onChange={(reject) => set({ reject })} errors={errors["answerKey.reject"]} />

      <form className="try-answer" onSubmit={tryIt} aria-label="Try an answer against the key">
        <label htmlFor="try-answer">Try an answer</label>
        <div className="inline-row">
          <input id="try-answer" value={answer} onChange={(e) => setAnswer(e.target.value)} placeholder="e.g. schwannoma vs EMH" />
          <button type="submit" className="btn" disabled={busy}>
            Try
          </button>
        </div>
        {outcome ? (
          outcome.ok ? (
            <dl className="facts try-result" data-testid="try-result">
              <dt>Verdict</dt>
              <dd>
                <span className={`verdict verdict-${outcome.result.verdict}`} data-testid="try-verdict">
                  {verdictLabels[outcome.result.verdict]}
                </span>
              </dd>
              <dt>Score</dt>
              <dd data-testid="try-score">{outcome.result.score}</dd>
              {outcome.result.matched ? (
                <>
                  <dt>Matched</dt>
                  <dd>{outcome.result.matched}</dd>
                </>
              ) : null}
              <dt>Group</dt>
              <dd>
                <code data-testid="try-group">{outcome.result.group || "—"}</code>
              </dd>
            </dl>
          ) : (
            <p className="field-error" role="alert">
              {outcome.message}
            </p>
          )
        ) : null}
      </form>
    </section>
  );
}
