import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import {
  answerKeys,
  auditLog,
  caseAuthors,
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
import { VERDICT_SCORES } from "@/lib/grading/grade";

/** The grading part of an answer key. */
export type AnswerKeyForGrading = { diagnosis: string; synonyms: string[]; partial: string[]; reject: string[] };

/**
 * Everything the submit path reads, in one round trip: the case's schedule and ownership, its co-authors, its
 * answer key, the educators' standing verdicts by answer group and, for a group entry, whether the submitter
 * belongs to the group. Undefined for an unknown case. The key is for grading only: never hand it to a page.
 */
export async function getSubmissionContext(db: Db, caseId: string, submitter: { userId: string; groupId?: string }) {
  const membership = submitter.groupId
    ? sql<boolean>`exists (select 1 from ${groupMemberships} where ${groupMemberships.groupId} = ${submitter.groupId} and ${groupMemberships.userId} = ${submitter.userId})`
    : sql<boolean>`false`;
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
      overrides: sql<Record<string, VerdictValue>>`coalesce((select json_object_agg(${verdictOverrides.answerGroup}, ${verdictOverrides.verdict}) from ${verdictOverrides} where ${verdictOverrides.caseId} = ${cases.id}), '{}'::json)`,
      isGroupMember: membership,
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
  owner: EntryOwner;
  mode: SubmissionMode;
  answers: string[];
  verdict: VerdictValue;
  score: number | null;
  answerGroup: string;
  overridden: boolean;
  actorId: string;
  now: Date;
};

/**
 * Creates or edits the one entry of an owner for a case and mode, with its revision and audit line, in one
 * statement (so one round trip and no transaction held open across the network). The partial unique indexes
 * arbitrate concurrent writers: a second insert of the same owner (a double click, a second tab) becomes an edit,
 * and an edit that repeats the stored differential writes nothing and returns undefined.
 */
export async function saveEntry(
  db: Db,
  entry: EntryWrite,
): Promise<{ id: string; created: boolean; verdict: VerdictValue | null; score: number | null } | undefined> {
  const byUser = "userId" in entry.owner;
  const standingVerdict = sql`(select ${verdictOverrides.verdict} from ${verdictOverrides} where ${verdictOverrides.caseId} = ${entry.caseId} and ${verdictOverrides.answerGroup} = ${entry.answerGroup})`;
  const standing = {
    verdict: standingVerdict,
    score: sql`(case ${standingVerdict} when 'correct' then ${VERDICT_SCORES.correct}::real when 'partial' then ${VERDICT_SCORES.partial}::real when 'incorrect' then ${VERDICT_SCORES.incorrect}::real end)`,
  };
  const upsert = db
    .insert(submissions)
    .values({
      caseId: entry.caseId,
      userId: byUser ? (entry.owner as { userId: string }).userId : null,
      groupId: byUser ? null : (entry.owner as { groupId: string }).groupId,
      mode: entry.mode,
      answers: entry.answers,
      // An educator's standing verdict for this answer group wins, read by this very statement: an override
      // committed after the submit path's context read still applies.
      verdict: sql`coalesce(${standing.verdict}, ${entry.verdict}::verdict)`,
      score: sql`case when ${standing.verdict} is null then ${entry.score}::real else ${standing.score} end`,
      answerGroup: entry.answerGroup,
      overridden: sql`(${standing.verdict} is not null or ${entry.overridden}::boolean)`,
      lastEditedBy: entry.actorId,
      submittedAt: entry.now,
      updatedAt: entry.now,
    })
    .onConflictDoUpdate({
      target: [submissions.caseId, byUser ? submissions.userId : submissions.groupId, submissions.mode],
      targetWhere: byUser ? sql`user_id is not null` : sql`group_id is not null`,
      set: {
        answers: entry.answers,
        verdict: sql`excluded.verdict`,
        score: sql`excluded.score`,
        answerGroup: entry.answerGroup,
        overridden: sql`excluded.overridden`,
        lastEditedBy: entry.actorId,
        submittedAt: entry.now,
        updatedAt: entry.now,
      },
      setWhere: sql`${submissions.answers} is distinct from excluded.answers`,
    })
    // xmax is 0 on a row version this statement inserted, and set on one it updated.
    .returning({
      id: sql<string>`${submissions.id}`.as("id"),
      created: sql<boolean>`(xmax = 0)`.as("created"),
      verdict: sql<VerdictValue | null>`${submissions.verdict}`.as("verdict"),
      score: sql<number | null>`${submissions.score}`.as("score"),
      answers: sql<string[]>`${submissions.answers}`.as("answers"),
      submittedAt: sql<Date>`${submissions.submittedAt}`.as("submitted_at"),
    });
  const detail = { caseId: entry.caseId, mode: entry.mode, groupId: byUser ? null : (entry.owner as { groupId: string }).groupId, answers: entry.answers };
  const result = await db.execute(sql`
    with entry as (${upsert.getSQL()}),
    revision as (
      insert into ${submissionRevisions} (submission_id, answers, edited_by, at)
      select id, answers, ${entry.actorId}::uuid, submitted_at from entry
    ),
    audit as (
      insert into ${auditLog} (actor_id, action, entity, entity_id, detail)
      select ${entry.actorId}::uuid, case when created then 'submission.create' else 'submission.edit' end, 'submission', id::text, ${JSON.stringify(detail)}::jsonb
      from entry
    )
    select id, created, verdict, score from entry`);
  // Both drivers answer db.execute with { rows }.
  return (result as unknown as { rows: { id: string; created: boolean; verdict: VerdictValue | null; score: number | null }[] }).rows[0];
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
