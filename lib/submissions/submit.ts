import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { findEntry, getSubmissionContext, saveEntry, type EntryOwner } from "@/db/queries/submissions";
import { submissionRevisions, type Role, type SubmissionMode, type SubmissionRow, type VerdictValue } from "@/db/schema";
import { getCaseAccess } from "@/lib/cases/visibility";
import { gradeSubmission, VERDICT_SCORES } from "@/lib/grading";
import {
  decideMode,
  storedScore,
  submitAnswerSchema,
  submitGroupAnswerSchema,
  toFieldErrors,
  type SubmissionFieldErrors,
  type SubmissionRefusal,
} from "./rules";

/** Who is submitting, as the session knows them. */
export type Submitter = { id: string; role: Role };

/** What a submitter may see of their entry: the verdict only in practice (competition verdicts wait for the reveal). */
export type SubmitOutcome = {
  ok: true;
  submissionId: string;
  mode: SubmissionMode;
  /** False for a resubmit of the same differential: nothing was written. */
  changed: boolean;
  answers: string[];
  submittedAt: Date;
  practice?: { verdict: VerdictValue; score: number | null };
};
export type SubmitResult =
  | SubmitOutcome
  | { ok: false; fieldErrors: SubmissionFieldErrors }
  | { ok: false; error: string; code: SubmissionRefusal["code"] | "not-member" };

type SubmissionContext = NonNullable<Awaited<ReturnType<typeof getSubmissionContext>>>;
type Graded = { verdict: VerdictValue; score: number | null; answerGroup: string; overridden: boolean };

/** Grades a differential against the case's key; an educator's standing verdict for its answer group wins. */
function grade(context: SubmissionContext, answers: string[]): Graded {
  const key = context.answerKey;
  // A case imported without a key cannot be graded automatically: a person decides.
  if (!key) return { verdict: "review", score: null, answerGroup: answers.map((a) => a.toLowerCase()).join(" || "), overridden: false };
  const result = gradeSubmission(answers, key);
  const override = Object.hasOwn(context.overrides, result.group) ? context.overrides[result.group] : undefined;
  if (override) return { verdict: override, score: storedScore(override, VERDICT_SCORES[override]), answerGroup: result.group, overridden: true };
  return { verdict: result.verdict, score: storedScore(result.verdict, result.score), answerGroup: result.group, overridden: false };
}

/**
 * Creates or edits the one entry of an owner for a case and mode, keeping every version in submission_revisions.
 * Idempotent: a concurrent or repeated submit of the same differential leaves one row and one revision.
 * Two round trips in all (the context read, then one write statement): under load a submit costs what its round
 * trips and commits cost, and no transaction stays open while the server grades.
 */
async function writeEntry(
  db: Db,
  context: SubmissionContext,
  args: { owner: EntryOwner; mode: SubmissionMode; answers: string[]; actorId: string; now: Date },
): Promise<SubmitOutcome> {
  const graded = grade(context, args.answers);
  const saved = await saveEntry(db, { caseId: context.id, ...args, ...graded });
  if (saved) {
    return {
      ok: true,
      submissionId: saved.id,
      mode: args.mode,
      changed: true,
      answers: args.answers,
      submittedAt: args.now,
      // The stored verdict: a standing override the write statement found wins over this grading.
      ...(args.mode === "practice" ? { practice: { verdict: saved.verdict ?? graded.verdict, score: saved.score } } : {}),
    };
  }
  // The same differential again: nothing was written; answer with the stored entry.
  const current = await findEntry(db, context.id, args.owner, args.mode);
  if (!current) throw new Error("submission vanished during its own resubmit");
  return outcome(current, false);
}

function outcome(row: SubmissionRow, changed: boolean): SubmitOutcome {
  return {
    ok: true,
    submissionId: row.id,
    mode: row.mode,
    changed,
    answers: row.answers,
    submittedAt: row.submittedAt,
    ...(row.mode === "practice" && row.verdict ? { practice: { verdict: row.verdict, score: row.score } } : {}),
  };
}

const unknownCase = { ok: false as const, error: "There is no such case.", code: "unknown-case" as const };

/**
 * A resident's own entry: competition while the case is open, practice after the reveal (never counted).
 * Input is validated here (zod); the time is the server's `now`, never the client's.
 */
export async function submitAnswer(db: Db, submitter: Submitter, input: unknown, now: Date): Promise<SubmitResult> {
  const parsed = submitAnswerSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = toFieldErrors(parsed.error);
    return fieldErrors.caseId ? unknownCase : { ok: false, fieldErrors };
  }
  const { caseId, answers, mode: requested } = parsed.data;
  const c = await getSubmissionContext(db, caseId, { userId: submitter.id });
  if (!c) return unknownCase;
  const access = getCaseAccess(c, submitter, now, c.coAuthorIds);
  if (access.level === "none") return unknownCase;
  const staff = submitter.role !== "resident";
  const decision = decideMode(access.phase, c, { requested, staff });
  if (!decision.ok) return { ok: false, error: decision.refusal.message, code: decision.refusal.code };
  return writeEntry(db, c, { owner: { userId: submitter.id }, mode: decision.mode, answers, actorId: submitter.id, now });
}

/**
 * The group entry of a resident group for an open case: any member may create or edit it until the deadline;
 * it records who changed it last. Non-members are refused.
 */
export async function submitGroupAnswer(db: Db, submitter: Submitter, input: unknown, now: Date): Promise<SubmitResult> {
  const parsed = submitGroupAnswerSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = toFieldErrors(parsed.error);
    return fieldErrors.caseId ? unknownCase : { ok: false, fieldErrors };
  }
  const { caseId, groupId, answers } = parsed.data;
  const c = await getSubmissionContext(db, caseId, { userId: submitter.id, groupId });
  if (!c) return unknownCase;
  const access = getCaseAccess(c, submitter, now, c.coAuthorIds);
  if (access.level === "none") return unknownCase;
  if (!c.isGroupMember) {
    return { ok: false, error: "Only members of this resident group may submit or edit its entry.", code: "not-member" };
  }
  const decision = decideMode(access.phase, c, { group: true, requested: "competition", staff: submitter.role !== "resident" });
  if (!decision.ok) return { ok: false, error: decision.refusal.message, code: decision.refusal.code };
  return writeEntry(db, c, { owner: { groupId }, mode: "competition", answers, actorId: submitter.id, now });
}

/** For tests and tools: the counting entry of a resident or group, if any. */
export async function getEntry(db: Db, caseId: string, owner: EntryOwner, mode: SubmissionMode = "competition") {
  return findEntry(db, caseId, owner, mode);
}

/** All revisions of one entry, oldest first. */
export async function listEntryRevisions(db: Db, submissionId: string) {
  return db
    .select()
    .from(submissionRevisions)
    .where(eq(submissionRevisions.submissionId, submissionId))
    .orderBy(submissionRevisions.at, submissionRevisions.id);
}
