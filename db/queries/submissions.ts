import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import {
  answerKeys,
  caseAuthors,
  cases,
  groupMemberships,
  residentGroups,
  submissionRevisions,
  submissions,
  users,
  type SubmissionMode,
  type VerdictValue,
} from "../schema";
import { VERDICT_SCORES } from "@/lib/grading/grade";

/** The grading part of an answer key. */
export type AnswerKeyForGrading = { diagnosis: string; synonyms: string[]; partial: string[]; reject: string[] };

/**
 * Everything the submit path decides from, in one round trip: the case's schedule and ownership, its co-authors
 * and its answer key, with the fingerprint of all three (`version`, migration 0007) that saveEntry checks before it
 * writes, so a caller may keep a context between submits. Undefined for an unknown case. The key is for grading
 * only: never hand it to a page.
 */
export async function getSubmissionContext(db: Db, caseId: string) {
  const rows = await db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      opensAt: cases.opensAt,
      closesAt: cases.closesAt,
      revealsAt: cases.revealsAt,
      closedAt: cases.closedAt,
      revealedAt: cases.revealedAt,
      authorId: cases.authorId,
      coAuthorIds: sql<string[]>`coalesce((select json_agg(${caseAuthors.userId}) from ${caseAuthors} where ${caseAuthors.caseId} = ${cases.id}), '[]'::json)`,
      answerKey: sql<AnswerKeyForGrading | null>`(select json_build_object('diagnosis', ${answerKeys.diagnosis}, 'synonyms', ${answerKeys.synonyms}, 'partial', ${answerKeys.partial}, 'reject', ${answerKeys.reject}) from ${answerKeys} where ${answerKeys.caseId} = ${cases.id})`,
      version: sql<string>`submission_context_version(${cases.id})`,
    })
    .from(cases)
    .where(eq(cases.id, caseId))
    .limit(1);
  return rows[0];
}

/** Who owns an entry: a resident, or a resident group. */
export type EntryOwner = { userId: string } | { groupId: string };

export function ownerCondition(owner: EntryOwner): SQL {
  return "userId" in owner ? eq(submissions.userId, owner.userId) : eq(submissions.groupId, owner.groupId);
}

/** The one entry of an owner for a case and mode; `forUpdate` locks it inside a transaction. */
export async function findEntry(db: Db, caseId: string, owner: EntryOwner, mode: SubmissionMode, forUpdate = false) {
  const query = db
    .select()
    .from(submissions)
    .where(and(eq(submissions.caseId, caseId), ownerCondition(owner), eq(submissions.mode, mode)))
    .limit(1);
  const rows = forUpdate ? await query.for("update") : await query;
  return rows[0];
}

/** An entry as the submit path writes it: the graded differential of one owner for one case and mode. */
export type EntryWrite = {
  caseId: string;
  /** The `version` of the context the entry was decided and graded from (getSubmissionContext). */
  contextVersion: string;
  owner: EntryOwner;
  mode: SubmissionMode;
  answers: string[];
  /** The grader's verdict; an educator's standing verdict for the answer group replaces it. */
  verdict: VerdictValue;
  score: number | null;
  answerGroup: string;
  actorId: string;
  now: Date;
};

export type SavedEntry = { id: string; created: boolean; verdict: VerdictValue | null; score: number | null; answers: string[]; submittedAt: Date };
export type SaveResult = { status: "saved" | "unchanged"; entry: SavedEntry } | { status: "stale" } | { status: "not-member" };

type SaveRow = {
  status: "saved" | "unchanged" | "stale" | "not-member";
  entry_id: string | null;
  created: boolean | null;
  entry_verdict: VerdictValue | null;
  entry_score: number | null;
  entry_answers: string[] | null;
  entry_submitted_at: Date | string | null;
};

/**
 * Creates or edits the one entry of an owner for a case and mode, with its revision and audit line: one call of
 * submission_save (migration 0007), so one round trip and one transaction that never waits on the network.
 * Nothing is written when the case's context changed since `contextVersion` was read ("stale"), when a group
 * entry's author is not a member ("not-member"), or when the entry already holds this differential
 * ("unchanged": the stored entry is returned). The standing verdict is read by the same transaction, so an
 * override committed after the context was read still applies.
 */
export async function saveEntry(db: Db, entry: EntryWrite): Promise<SaveResult> {
  const byUser = "userId" in entry.owner;
  const scores = [VERDICT_SCORES.correct, VERDICT_SCORES.partial, VERDICT_SCORES.incorrect];
  // sql.param: an array is one parameter here (drizzle would spread a bare array into a list).
  const result = await db.execute(sql`
    select * from submission_save(${entry.caseId}, ${entry.contextVersion}, ${byUser ? (entry.owner as { userId: string }).userId : null},
      ${byUser ? null : (entry.owner as { groupId: string }).groupId}, ${entry.mode}, ${sql.param(entry.answers)}, ${entry.verdict}, ${entry.score},
      ${sql.param(scores)}, ${entry.answerGroup}, ${entry.actorId}, ${entry.now.toISOString()})`);
  // Both drivers answer db.execute with { rows }.
  const row = (result as unknown as { rows: SaveRow[] }).rows[0]!;
  if (row.status === "stale" || row.status === "not-member") return { status: row.status };
  return {
    status: row.status,
    entry: {
      id: row.entry_id!,
      created: row.created ?? false,
      verdict: row.entry_verdict,
      score: row.entry_score,
      answers: row.entry_answers!,
      submittedAt: new Date(row.entry_submitted_at!),
    },
  };
}

/** Every version of an entry, oldest first, with who wrote it (display name: pseudonym when set). */
export async function listRevisions(db: Db, submissionIds: readonly string[]) {
  if (submissionIds.length === 0) return [];
  return db
    .select({
      id: submissionRevisions.id,
      submissionId: submissionRevisions.submissionId,
      answers: submissionRevisions.answers,
      at: submissionRevisions.at,
      editedBy: submissionRevisions.editedBy,
      editedByName: sql<string | null>`coalesce(nullif(trim(${users.pseudonym}), ''), ${users.name})`,
    })
    .from(submissionRevisions)
    .leftJoin(users, eq(submissionRevisions.editedBy, users.id))
    .where(inArray(submissionRevisions.submissionId, [...submissionIds]))
    .orderBy(asc(submissionRevisions.submissionId), asc(submissionRevisions.at), asc(submissionRevisions.id));
}

/** A resident's own entries on a case (competition and practice) and those of their groups, with editors' names. */
export async function listEntriesForPanel(db: Db, caseId: string, userId: string) {
  const mine = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.caseId, caseId), eq(submissions.userId, userId)));
  const groups = await db
    .select({ id: residentGroups.id, name: residentGroups.name })
    .from(groupMemberships)
    .innerJoin(residentGroups, eq(groupMemberships.groupId, residentGroups.id))
    .where(eq(groupMemberships.userId, userId))
    .orderBy(asc(residentGroups.name));
  const groupEntries = groups.length
    ? await db
        .select({ entry: submissions, lastEditedByName: sql<string | null>`coalesce(nullif(trim(${users.pseudonym}), ''), ${users.name})` })
        .from(submissions)
        .leftJoin(users, eq(submissions.lastEditedBy, users.id))
        .where(and(eq(submissions.caseId, caseId), eq(submissions.mode, "competition"), inArray(submissions.groupId, groups.map((g) => g.id))))
    : [];
  return { mine, groups, groupEntries };
}

/**
 * The adjudication queue of a case: answers the grader could not judge, one row per distinct normalised answer
 * (answer group), most frequent first, with how many entries share it and a few of their texts.
 */
export async function listReviewQueue(db: Db, caseId: string) {
  const rows = await db
    .select({
      answerGroup: sql<string>`coalesce(${submissions.answerGroup}, '')`,
      count: sql<number>`count(*)::int`,
      competitionCount: sql<number>`(count(*) filter (where ${submissions.mode} = 'competition'))::int`,
      examples: sql<string[]>`(array_agg(array_to_string(${submissions.answers}, ' / ') order by ${submissions.submittedAt}))[1:3]`,
      firstAt: sql<string>`min(${submissions.submittedAt})`,
    })
    .from(submissions)
    .where(and(eq(submissions.caseId, caseId), eq(submissions.verdict, "review")))
    .groupBy(sql`coalesce(${submissions.answerGroup}, '')`)
    .orderBy(desc(sql`count(*)`), asc(sql`min(${submissions.submittedAt})`));
  return rows.map((r) => ({ ...r, firstAt: new Date(r.firstAt) }));
}

/**
 * The most common answers to a case, for a chart: competition entries (individual and group) by answer group,
 * with their count and verdict. Call only once the case is revealed (lib/cases/visibility).
 */
export async function listAnswerGroups(db: Db, caseId: string) {
  return db
    .select({
      answerGroup: sql<string>`coalesce(${submissions.answerGroup}, '')`,
      count: sql<number>`count(*)::int`,
      // Entries in one group share a verdict unless an educator overrode a single entry; show the usual one.
      verdict: sql<VerdictValue | null>`mode() within group (order by ${submissions.verdict})`,
      example: sql<string>`min(${submissions.answers}[1])`,
    })
    .from(submissions)
    .where(and(eq(submissions.caseId, caseId), eq(submissions.mode, "competition")))
    .groupBy(sql`coalesce(${submissions.answerGroup}, '')`)
    .orderBy(desc(sql`count(*)`), asc(sql`min(${submissions.answers}[1])`));
}

/**
 * The congratulations list of a revealed case: residents and groups whose competition entry is correct, in the
 * order their counting answer was submitted. Names are pseudonyms when set. Call only after the reveal.
 */
export async function listCorrectEntrants(db: Db, caseId: string) {
  const rows = await db
    .select({
      submissionId: submissions.id,
      kind: sql<"user" | "group">`case when ${submissions.userId} is null then 'group' else 'user' end`,
      userId: submissions.userId,
      groupId: submissions.groupId,
      displayName: sql<string>`coalesce(nullif(trim(${users.pseudonym}), ''), ${users.name}, ${residentGroups.name})`,
      submittedAt: submissions.submittedAt,
    })
    .from(submissions)
    .leftJoin(users, eq(submissions.userId, users.id))
    .leftJoin(residentGroups, eq(submissions.groupId, residentGroups.id))
    .where(and(eq(submissions.caseId, caseId), eq(submissions.mode, "competition"), eq(submissions.verdict, "correct")))
    .orderBy(asc(submissions.submittedAt), asc(submissions.id));
  return rows;
}

/** Entries of a case matched by answer group (or one entry by id), locked for an adjudication. */
export async function lockEntriesForOverride(db: Db, caseId: string, target: { answerGroup: string } | { submissionId: string }) {
  const match =
    "submissionId" in target
      ? eq(submissions.id, target.submissionId)
      : target.answerGroup === ""
        ? isNull(submissions.answerGroup)
        : eq(submissions.answerGroup, target.answerGroup);
  return db
    .select({ id: submissions.id, verdict: submissions.verdict, answerGroup: submissions.answerGroup, mode: submissions.mode })
    .from(submissions)
    .where(and(eq(submissions.caseId, caseId), match))
    .for("update");
}
