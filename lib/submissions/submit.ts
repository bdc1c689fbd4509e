import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { findEntry, getSubmissionContext, saveEntry, type EntryOwner } from "@/db/queries/submissions";
import { submissionRevisions, type Role, type SubmissionMode, type VerdictValue } from "@/db/schema";
import { getCaseAccess } from "@/lib/cases/visibility";
import { gradeSubmission } from "@/lib/grading";
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
type Graded = { verdict: VerdictValue; score: number | null; answerGroup: string };

/**
 * Contexts of recently submitted-to cases, per database handle, so that a submit usually costs one round trip (the
 * write). Nothing is decided on a kept context alone: saveEntry writes only if the context's fingerprint still
 * matches the database (else the submit reads it again), and a refusal is only ever given on a fresh read.
 * Submits that find no kept context share one read of it: a burst of entries when a case opens, or from a server
 * just started, reads the case once instead of once per entry.
 */
type KeptContexts = { byCase: Map<string, SubmissionContext>; reading: Map<string, Promise<SubmissionContext | undefined>> };
const keptContexts = new WeakMap<Db, KeptContexts>();
const KEPT_CONTEXTS_PER_DB = 256;

async function readContext(db: Db, caseId: string, fresh: boolean): Promise<{ context?: SubmissionContext; fresh: boolean }> {
  let kept = keptContexts.get(db);
  if (!kept) keptContexts.set(db, (kept = { byCase: new Map(), reading: new Map() }));
  const known = fresh ? undefined : kept.byCase.get(caseId);
  if (known) return { context: known, fresh: false };
  // A read already under way serves a cache miss; one asked for because a context proved stale must start after it.
  const shared = fresh ? undefined : kept.reading.get(caseId);
  if (shared) return { context: await shared, fresh: true };
  const reading = getSubmissionContext(db, caseId).then((context) => {
    kept.byCase.delete(caseId);
    if (context) {
      if (kept.byCase.size >= KEPT_CONTEXTS_PER_DB) kept.byCase.delete(kept.byCase.keys().next().value!);
      kept.byCase.set(caseId, context);
    }
    return context;
  });
  if (!fresh) kept.reading.set(caseId, reading);
  try {
    return { context: await reading, fresh: true };
  } finally {
    if (kept.reading.get(caseId) === reading) kept.reading.delete(caseId);
  }
}

/** Grades a differential against the case's key (the write applies an educator's standing verdict over it). */
function grade(context: SubmissionContext, answers: string[]): Graded {
  const key = context.answerKey;
  // A case imported without a key cannot be graded automatically: a person decides.
  if (!key) return { verdict: "review", score: null, answerGroup: answers.map((a) => a.toLowerCase()).join(" || ") };
  const result = gradeSubmission(answers, key);
  return { verdict: result.verdict, score: storedScore(result.verdict, result.score), answerGroup: result.group };
}

type EntryRequest = { caseId: string; owner: EntryOwner; answers: string[]; requested?: SubmissionMode; group: boolean };

/**
 * Creates or edits the one entry of an owner for a case and mode, keeping every version in submission_revisions.
 * Idempotent: a concurrent or repeated submit of the same differential leaves one row and one revision.
 * Usually one round trip (the write, on a kept context); two when the case's context must be read; no transaction
 * stays open while the server grades.
 */
async function enterAnswer(db: Db, submitter: Submitter, request: EntryRequest, now: Date): Promise<SubmitResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { context: c, fresh } = await readContext(db, request.caseId, attempt > 0);
    if (!c) return unknownCase;
    const access = getCaseAccess(c, submitter, now, c.coAuthorIds);
    const staff = submitter.role !== "resident";
    const decision = access.level === "none" ? undefined : decideMode(access.phase, c, { group: request.group, requested: request.requested, staff });
    if (!decision?.ok) {
      // A kept context may be out of date (the case reopened, its deadline moved): refuse on a fresh read only.
      if (!fresh) continue;
      return decision ? { ok: false, error: decision.refusal.message, code: decision.refusal.code } : unknownCase;
    }
    const graded = grade(c, request.answers);
    const saved = await saveEntry(db, { caseId: c.id, contextVersion: c.version, owner: request.owner, mode: decision.mode, answers: request.answers, ...graded, actorId: submitter.id, now });
    // The case changed since its context was read: decide again on a fresh read.
    if (saved.status === "stale") continue;
    if (saved.status === "not-member") return { ok: false, error: "Only members of this resident group may submit or edit its entry.", code: "not-member" };
    const { entry } = saved;
    return {
      ok: true,
      submissionId: entry.id,
      mode: decision.mode,
      changed: saved.status === "saved",
      answers: entry.answers,
      submittedAt: entry.submittedAt,
      // The stored verdict: a standing override the write found wins over this grading.
      ...(decision.mode === "practice" && entry.verdict ? { practice: { verdict: entry.verdict, score: entry.score } } : {}),
    };
  }
  throw new Error(`the context of case ${request.caseId} kept changing while an answer was submitted`);
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
  const { caseId, answers, mode } = parsed.data;
  return enterAnswer(db, submitter, { caseId, owner: { userId: submitter.id }, answers, requested: mode, group: false }, now);
}

/**
 * The group entry of a resident group for an open case: any member may create or edit it until the deadline;
 * it records who changed it last. Non-members are refused (checked by the write itself).
 */
export async function submitGroupAnswer(db: Db, submitter: Submitter, input: unknown, now: Date): Promise<SubmitResult> {
  const parsed = submitGroupAnswerSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = toFieldErrors(parsed.error);
    return fieldErrors.caseId ? unknownCase : { ok: false, fieldErrors };
  }
  const { caseId, groupId, answers } = parsed.data;
  return enterAnswer(db, submitter, { caseId, owner: { groupId }, answers, requested: "competition", group: true }, now);
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
