import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import {
  answerKeys,
  cases,
  groupMemberships,
  residentGroups,
  submissionRevisions,
  submissions,
  users,
  verdictOverrides,
  type SubmissionMode,
  type VerdictValue,
} from "../schema";

/** The schedule and ownership of a case: all that the submit path needs to decide what is allowed. */
export async function getCaseForSubmission(db: Db, caseId: string) {
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
    })
    .from(cases)
    .where(eq(cases.id, caseId))
    .limit(1);
  return rows[0];
}

/**
 * The answer key, for grading only. Never call this from a page or a resident-facing query: the submit and
 * regrade paths are its only readers.
 */
export async function getAnswerKeyForGrading(db: Db, caseId: string) {
  const rows = await db
    .select({ diagnosis: answerKeys.diagnosis, synonyms: answerKeys.synonyms, partial: answerKeys.partial, reject: answerKeys.reject })
    .from(answerKeys)
    .where(eq(answerKeys.caseId, caseId))
    .limit(1);
  return rows[0];
}

/** An educator's standing verdict for one normalised answer of a case, if any. */
export async function getVerdictOverride(db: Db, caseId: string, answerGroup: string): Promise<VerdictValue | undefined> {
  const rows = await db
    .select({ verdict: verdictOverrides.verdict })
    .from(verdictOverrides)
    .where(and(eq(verdictOverrides.caseId, caseId), eq(verdictOverrides.answerGroup, answerGroup)))
    .limit(1);
  return rows[0]?.verdict;
}

export async function isGroupMember(db: Db, groupId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, userId)))
    .limit(1);
  return rows.length > 0;
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
