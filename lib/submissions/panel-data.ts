import type { Db } from "@/db/client";
import { listEntriesForPanel, listRevisions } from "@/db/queries/submissions";
import type { CaseRow, Role, SubmissionMode, SubmissionRow, VerdictValue } from "@/db/schema";
import { getPhase, type Phase } from "@/lib/cases/lifecycle";
import { decideMode, effectiveDeadline } from "./rules";

/** One version of an entry, as the panel shows it (server timestamps as ISO strings). */
export type RevisionView = { answers: string[]; atIso: string; editedByName: string | null };

/** An entry as its owner may see it: the verdict only once the case is revealed, or at once in practice. */
export type EntryView = {
  id: string;
  mode: SubmissionMode;
  answers: string[];
  submittedAtIso: string;
  lastEditedByName: string | null;
  verdict: VerdictValue | null;
  score: number | null;
  history: RevisionView[];
};

export type GroupPanelView = { id: string; name: string; entry: EntryView | null };

/** Everything SubmissionPanel renders; serialisable, so a server page can hand it to the client component. */
export type SubmissionPanelData = {
  caseId: string;
  caseNumber: number;
  phase: Phase;
  /** The mode a new entry goes into now, or null when none is accepted (then `refusal` says why). */
  acceptsMode: SubmissionMode | null;
  refusal: string | null;
  /** Whether group entries are accepted now (open cases only). */
  acceptsGroupEntries: boolean;
  deadlineIso: string | null;
  entry: EntryView | null;
  practice: EntryView | null;
  groups: GroupPanelView[];
};

type CaseForPanel = Pick<CaseRow, "id" | "number" | "status" | "opensAt" | "closesAt" | "revealsAt" | "closedAt" | "revealedAt">;

/**
 * The submission panel's data for one resident and case. The caller has already asked lib/cases/visibility that
 * the user may see the case; this never reads the answer key.
 */
export async function loadSubmissionPanel(db: Db, c: CaseForPanel, user: { id: string; role: Role }, now: Date): Promise<SubmissionPanelData> {
  const phase = getPhase(c, now);
  const { mine, groups, groupEntries } = await listEntriesForPanel(db, c.id, user.id);
  const allIds = [...mine.map((m) => m.id), ...groupEntries.map((g) => g.entry.id)];
  const revisions = await listRevisions(db, allIds);
  const revealed = phase === "revealed";

  const view = (row: SubmissionRow, lastEditedByName: string | null): EntryView => ({
    id: row.id,
    mode: row.mode,
    answers: row.answers,
    submittedAtIso: row.submittedAt.toISOString(),
    lastEditedByName,
    verdict: revealed || row.mode === "practice" ? row.verdict : null,
    score: revealed || row.mode === "practice" ? row.score : null,
    history: revisions
      .filter((r) => r.submissionId === row.id)
      .map((r) => ({ answers: r.answers, atIso: r.at.toISOString(), editedByName: r.editedByName })),
  });

  const competition = mine.find((m) => m.mode === "competition");
  const practice = mine.find((m) => m.mode === "practice");
  const decision = decideMode(phase, c, { staff: user.role !== "resident" });
  const deadline = effectiveDeadline(c);
  return {
    caseId: c.id,
    caseNumber: c.number,
    phase,
    acceptsMode: decision.ok ? decision.mode : null,
    refusal: decision.ok ? null : decision.refusal.message,
    acceptsGroupEntries: phase === "open" && user.role === "resident",
    deadlineIso: deadline ? deadline.toISOString() : null,
    entry: competition ? view(competition, null) : null,
    practice: practice ? view(practice, null) : null,
    groups: groups.map((g) => {
      const found = groupEntries.find((e) => e.entry.groupId === g.id);
      return { id: g.id, name: g.name, entry: found ? view(found.entry, found.lastEditedByName) : null };
    }),
  };
}
