import type { CaseRow } from "@/db/schema";

export const phases = ["draft", "scheduled", "open", "closed", "revealed"] as const;
export type Phase = (typeof phases)[number];

type Schedule = Pick<CaseRow, "status" | "opensAt" | "closesAt" | "revealsAt" | "closedAt" | "revealedAt">;

const reached = (at: Date | null, now: Date) => at !== null && at.getTime() <= now.getTime();

/**
 * Where a case stands at `now`: draft -> scheduled -> open -> closed -> revealed, from its schedule (UTC) or
 * an educator's manual close and reveal, whichever comes first.
 */
export function getPhase(c: Schedule, now: Date): Phase {
  if (c.status === "draft") return "draft";
  if (reached(c.revealedAt, now) || reached(c.revealsAt, now)) return "revealed";
  if (reached(c.closedAt, now) || reached(c.closesAt, now)) return "closed";
  if (reached(c.opensAt, now)) return "open";
  return "scheduled";
}

/** The next moment the phase changes on its own, for countdowns; undefined once revealed or unscheduled. */
export function getNextTransition(c: Schedule, now: Date): { phase: Phase; at: Date } | undefined {
  const phase = getPhase(c, now);
  if (phase === "scheduled" && c.opensAt) return { phase: "open", at: c.opensAt };
  if (phase === "open" && c.closesAt) return { phase: "closed", at: c.closesAt };
  if (phase === "closed" && c.revealsAt) return { phase: "revealed", at: c.revealsAt };
  return undefined;
}
