import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { listCoAuthorIds } from "@/db/queries/cases";
import {
  findEntry,
  getAnswerKeyForGrading,
  getCaseForSubmission,
  getVerdictOverride,
  isGroupMember,
  type EntryOwner,
} from "@/db/queries/submissions";
import { submissionRevisions, submissions, type Role, type SubmissionMode, type SubmissionRow, type VerdictValue } from "@/db/schema";
import { getCaseAccess } from "@/lib/cases/visibility";
import { gradeSubmission, VERDICT_SCORES } from "@/lib/grading";
import {
  decideMode,
  sameAnswers,
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

type Graded = { verdict: VerdictValue; score: number | null; answerGroup: string; overridden: boolean };

async function grade(db: Db, caseId: string, answers: string[]): Promise<Graded> {
  const key = await getAnswerKeyForGrading(db, caseId);
  // A case imported without a key cannot be graded automatically: a person decides.
  if (!key) return { verdict: "review", score: null, answerGroup: answers.map((a) => a.toLowerCase()).join(" || "), overridden: false };
  const result = gradeSubmission(answers, key);
  const override = await getVerdictOverride(db, caseId, result.group);
  if (override) return { verdict: override, score: storedScore(override, VERDICT_SCORES[override]), answerGroup: result.group, overridden: true };
  return { verdict: result.verdict, score: storedScore(result.verdict, result.score), answerGroup: result.group, overridden: false };
}

/**
 * Creates or edits the one entry of an owner for a case and mode, keeping every version in submission_revisions.
 * Idempotent: a concurrent or repeated submit of the same differential leaves one row and one revision.
 */
async function writeEntry(
  db: Db,
  args: { caseId: string; owner: EntryOwner; mode: SubmissionMode; answers: string[]; actorId: string; now: Date },
): Promise<{ row: SubmissionRow; changed: boolean }> {
  const graded = await grade(db, args.caseId, args.answers);
  return db.transaction(async (tx) => {
    const values = {
      caseId: args.caseId,
      userId: "userId" in args.owner ? args.owner.userId : null,
      groupId: "groupId" in args.owner ? args.owner.groupId : null,
      mode: args.mode,
      answers: args.answers,
      ...graded,
      lastEditedBy: args.actorId,
      submittedAt: args.now,
      updatedAt: args.now,
    };
    // The partial unique indexes make a second insert (a double click, a second tab) a no-op, then an edit.
    const inserted = await tx.insert(submissions).values(values).onConflictDoNothing().returning();
    let row = inserted[0];
    let action = "submission.create";
    if (!row) {
      const current = await findEntry(tx, args.caseId, args.owner, args.mode, true);
      if (!current) throw new Error("submission vanished during its own edit");
      if (sameAnswers(current.answers, args.answers)) return { row: current, changed: false };
      const updated = await tx.update(submissions).set(values).where(eq(submissions.id, current.id)).returning();
      row = updated[0]!;
      action = "submission.edit";
    }
    await tx.insert(submissionRevisions).values({ submissionId: row.id, answers: args.answers, editedBy: args.actorId, at: args.now });
    await recordAudit(tx, {
      actorId: args.actorId,
      action,
      entity: "submission",
      entityId: row.id,
      detail: { caseId: args.caseId, mode: args.mode, groupId: row.groupId, answers: args.answers },
    });
    return { row, changed: true };
  });
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
  const c = await getCaseForSubmission(db, caseId);
  if (!c) return unknownCase;
  const access = getCaseAccess(c, submitter, now, await listCoAuthorIds(db, c.id));
  if (access.level === "none") return unknownCase;
  const staff = submitter.role !== "resident";
  const decision = decideMode(access.phase, c, { requested, staff });
  if (!decision.ok) return { ok: false, error: decision.refusal.message, code: decision.refusal.code };
  const { row, changed } = await writeEntry(db, { caseId, owner: { userId: submitter.id }, mode: decision.mode, answers, actorId: submitter.id, now });
  return outcome(row, changed);
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
  const c = await getCaseForSubmission(db, caseId);
  if (!c) return unknownCase;
  const access = getCaseAccess(c, submitter, now, await listCoAuthorIds(db, c.id));
  if (access.level === "none") return unknownCase;
  if (!(await isGroupMember(db, groupId, submitter.id))) {
    return { ok: false, error: "Only members of this resident group may submit or edit its entry.", code: "not-member" };
  }
  const decision = decideMode(access.phase, c, { group: true, requested: "competition", staff: submitter.role !== "resident" });
  if (!decision.ok) return { ok: false, error: decision.refusal.message, code: decision.refusal.code };
  const { row, changed } = await writeEntry(db, { caseId, owner: { groupId }, mode: "competition", answers, actorId: submitter.id, now });
  return outcome(row, changed);
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
