/** The leaderboard windows: all time, the academic year (from July 1), the calendar month. All in UTC. */
export const periods = ["all", "year", "month"] as const;
export type Period = (typeof periods)[number];

export const periodLabels: Record<Period, string> = { all: "All time", year: "This academic year", month: "This month" };

/** Academic years start on July 1 (UTC): residency years turn over then. */
export function academicYearStart(now: Date): Date {
  const year = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return new Date(Date.UTC(year, 6, 1));
}

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The earliest submission time a period counts, or undefined for all time. */
export function periodStart(period: Period, now: Date): Date | undefined {
  if (period === "year") return academicYearStart(now);
  if (period === "month") return monthStart(now);
  return undefined;
}

export type ScoredVerdict = "correct" | "partial" | "incorrect" | "review";

/**
 * Streaks over revealed cases in case order (ascending number). A correct or partial answer extends the run; an
 * incorrect answer, or a revealed case the resident did not answer, ends it; a `review` verdict is pending and
 * neither extends nor ends it. `current` is the run that reaches the latest revealed case.
 */
export function computeStreaks(caseOrder: readonly string[], verdicts: ReadonlyMap<string, ScoredVerdict>): { current: number; best: number } {
  let run = 0;
  let best = 0;
  for (const caseId of caseOrder) {
    const v = verdicts.get(caseId);
    if (v === "review") continue;
    if (v === "correct" || v === "partial") {
      run += 1;
      best = Math.max(best, run);
    } else {
      run = 0;
    }
  }
  return { current: run, best };
}

/**
 * A resident group's score (documented in ./README.md):
 *
 *   groupScore = groupEntryPoints + memberPoints / max(1, activeMembers)
 *
 * where groupEntryPoints are the points of the group's own entries, memberPoints the sum of its members' own
 * points, and activeMembers the members with at least one counted entry in the period. Dividing by the active
 * members (not the roster) makes the member part an average: a program of four sharp residents can beat one of
 * forty, and a member who never plays does not drag the group down.
 */
export function groupScore(parts: { groupEntryPoints: number; memberPoints: number; activeMembers: number }): number {
  return parts.groupEntryPoints + parts.memberPoints / Math.max(1, parts.activeMembers);
}
