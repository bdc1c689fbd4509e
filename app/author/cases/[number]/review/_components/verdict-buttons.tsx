"use client";

import { useActionState } from "react";
import { adjudicateAction, type AdjudicationState } from "../actions";

const choices = [
  { verdict: "correct", label: "Correct", className: "btn verdict-btn verdict-btn-correct" },
  { verdict: "partial", label: "Partial", className: "btn verdict-btn verdict-btn-partial" },
  { verdict: "incorrect", label: "Incorrect", className: "btn verdict-btn verdict-btn-incorrect" },
] as const;

type Props = { caseId: string; caseNumber: number; answerGroup: string; current?: string | null; allowReview?: boolean };

/** Correct / partial / incorrect for one answer group; each is one submit of the adjudication form. */
export function VerdictButtons({ caseId, caseNumber, answerGroup, current, allowReview = false }: Props) {
  const [state, action, pending] = useActionState<AdjudicationState, FormData>(adjudicateAction, null);
  return (
    <form action={action} className="verdict-buttons">
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="caseNumber" value={caseNumber} />
      <input type="hidden" name="answerGroup" value={answerGroup} />
      {choices.map((c) => (
        <button key={c.verdict} type="submit" name="verdict" value={c.verdict} className={c.className} disabled={pending || current === c.verdict} aria-pressed={current === c.verdict}>
          {c.label}
        </button>
      ))}
      {allowReview && current !== "review" ? (
        <button type="submit" name="verdict" value="review" className="btn-link" disabled={pending}>
          Back to review
        </button>
      ) : null}
      {state ? (
        state.ok ? (
          <span className="muted" role="status" data-testid="adjudication-saved">{state.message}</span>
        ) : (
          <span className="field-error" role="alert">{state.error}</span>
        )
      ) : null}
    </form>
  );
}
