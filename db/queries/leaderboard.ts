import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { cases, groupMemberships, leaderboardRows, leaderboardSnapshots, leaderboardState, residentGroups, submissions, users } from "../schema";
import { groupScore, periodStart, type Period } from "@/lib/leaderboard/scoring";

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;

/**
 * Only revealed, published cases count: a score that moved before the reveal would tell a resident whether
 * they were right. Mirrors getPhase (lib/cases/lifecycle) in SQL.
 */
function revealedCase(now: Date): SQL {
  return sql`${cases.status} = 'published' and (${cases.revealedAt} <= ${now.toISOString()}::timestamptz or ${cases.revealsAt} <= ${now.toISOString()}::timestamptz)`;
}

function windowCondition(period: Period, now: Date): SQL {
  const start = periodStart(period, now);
  return start ? sql`and ${submissions.submittedAt} >= ${start.toISOString()}::timestamptz` : sql``;
}

export type IndividualRow = {
  rank: number;
  userId: string;
  displayName: string;
  points: number;
  correct: number;
  partial: number;
  answered: number;
  streak: number;
  bestStreak: number;
};

/** Per-resident totals of a period, computed live from the submissions (the snapshot's source). */
function individualTotals(period: Period, now: Date): SQL {
  return sql`
      select ${submissions.userId} as user_id,
             coalesce(sum(${submissions.score}), 0)::float8 as points,
             (count(*) filter (where ${submissions.verdict} = 'correct'))::int as correct,
             (count(*) filter (where ${submissions.verdict} = 'partial'))::int as partial,
             count(*)::int as answered
      from ${submissions}
      join ${cases} on ${cases.id} = ${submissions.caseId}
      where ${submissions.mode} = 'competition' and ${submissions.userId} is not null
        and ${revealedCase(now)} ${windowCondition(period, now)}
      group by ${submissions.userId}`;
}

/**
 * Per-group parts of a period. The score column mirrors groupScore (lib/leaderboard/scoring.ts) in SQL so that
 * ranks can be computed in the database; the integration tests pin the two together.
 */
function groupTotals(period: Period, now: Date): SQL {
  return sql`
    with group_entries as (
      select ${submissions.groupId} as group_id, coalesce(sum(${submissions.score}), 0)::float8 as points
      from ${submissions} join ${cases} on ${cases.id} = ${submissions.caseId}
      where ${submissions.mode} = 'competition' and ${submissions.groupId} is not null
        and ${revealedCase(now)} ${windowCondition(period, now)}
      group by ${submissions.groupId}
    ), member_entries as (
      select m.group_id, coalesce(sum(${submissions.score}), 0)::float8 as points, count(distinct ${submissions.userId})::int as active
      from ${groupMemberships} m
      join ${submissions} on ${submissions.userId} = m.user_id
      join ${cases} on ${cases.id} = ${submissions.caseId}
      where ${submissions.mode} = 'competition' and ${revealedCase(now)} ${windowCondition(period, now)}
      group by m.group_id
    ), roster as (
      select group_id, count(*)::int as members from ${groupMemberships} group by group_id
    )
    select g.id as group_id, coalesce(r.members, 0) as members, coalesce(me.active, 0) as active,
           coalesce(ge.points, 0) as group_points, coalesce(me.points, 0) as member_points,
           coalesce(ge.points, 0) + coalesce(me.points, 0) / greatest(1, coalesce(me.active, 0)) as score
    from ${residentGroups} g
    left join roster r on r.group_id = g.id
    left join group_entries ge on ge.group_id = g.id
    left join member_entries me on me.group_id = g.id
    where ge.group_id is not null or me.group_id is not null`;
}

/**
 * Marks every leaderboard snapshot stale. Call it in the same transaction as any write that changes the score of
 * an entry on a revealed case (adjudication, a regrade, seeding past entries).
 */
export async function bumpLeaderboardVersion(db: Db): Promise<void> {
  await db
    .insert(leaderboardState)
    .values({ id: 1, version: 1 })
    .onConflictDoUpdate({ target: leaderboardState.id, set: { version: sql`${leaderboardState.version} + 1` } });
}

/**
 * The snapshot key of a period now: a fingerprint of everything a ranking depends on: the period's start, the set
 * of revealed cases, and leaderboard_state.version, which overrides bump (bumpLeaderboardVersion) and database
 * triggers bump on any change of group memberships and any deleted entry (migration 0002). Builds the
 * snapshot when it does not exist yet: one SQL statement per kind, under a per-key advisory lock so concurrent
 * readers build it once. Reads then cost an index range scan instead of an aggregate over every entry.
 */
export async function ensureLeaderboardSnapshot(db: Db, period: Period, now: Date): Promise<string> {
  const start = periodStart(period, now);
  const fingerprint = rowsOf<{ key: string }>(
    await db.execute(sql`
      select ${period} || ':' || md5(concat_ws('|',
        ${start ? start.toISOString() : "all"}::text,
        (select coalesce(string_agg(${cases.id}::text, ',' order by ${cases.id}), '') from ${cases} where ${revealedCase(now)}),
        (select coalesce(max(${leaderboardState.version}), 0)::text from ${leaderboardState})
      )) as key`),
  )[0]!.key;
  const exists = await db.select({ key: leaderboardSnapshots.key }).from(leaderboardSnapshots).where(eq(leaderboardSnapshots.key, fingerprint)).limit(1);
  if (exists.length > 0) return fingerprint;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${fingerprint}))`);
    const again = await tx.select({ key: leaderboardSnapshots.key }).from(leaderboardSnapshots).where(eq(leaderboardSnapshots.key, fingerprint)).limit(1);
    if (again.length > 0) return;
    // Old snapshots of this period go, but not the ones just built: a reader may still be paging through them.
    await tx.execute(sql`delete from ${leaderboardSnapshots} where ${leaderboardSnapshots.period} = ${period} and ${leaderboardSnapshots.builtAt} < now() - interval '1 minute'`);
    await tx.insert(leaderboardSnapshots).values({ key: fingerprint, period });
    await tx.execute(sql`
      insert into ${leaderboardRows} (snapshot_key, kind, owner_id, rank, position, points, correct, partial, answered)
      select ${fingerprint}, 'user', t.user_id, rank() over (order by t.points desc),
             row_number() over (order by t.points desc, t.correct desc, t.user_id), t.points, t.correct, t.partial, t.answered
      from (${individualTotals(period, now)}) t`);
    await tx.execute(sql`
      insert into ${leaderboardRows} (snapshot_key, kind, owner_id, rank, position, points, members, active_members, group_points, member_points)
      select ${fingerprint}, 'group', t.group_id, rank() over (order by t.score desc),
             row_number() over (order by t.score desc, g.name, t.group_id), t.score, t.members, t.active, t.group_points, t.member_points
      from (${groupTotals(period, now)}) t join ${residentGroups} g on g.id = t.group_id`);
    // The revealed cases in case order, so streaks read each entry's position through the primary key.
    await tx.execute(sql`
      insert into ${leaderboardRows} (snapshot_key, kind, owner_id, rank, position, points)
      select ${fingerprint}, 'case', ${cases.id}, 0, row_number() over (order by ${cases.number}), 0
      from ${cases} where ${revealedCase(now)}`);
  });
  return fingerprint;
}

/**
 * Individuals ranked by points from competition entries on revealed cases, in a period (by the time the
 * counting answer was submitted). Practice entries and unadjudicated `review` verdicts (score null) count
 * nothing. Reads the period's snapshot (see ensureLeaderboardSnapshot); names and streaks are fetched for the
 * returned page only.
 */
export async function listIndividualLeaderboard(
  db: Db,
  options: { period: Period; now: Date; limit?: number; offset?: number },
): Promise<IndividualRow[]> {
  const { period, now } = options;
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const offset = Math.max(options.offset ?? 0, 0);
  const key = await ensureLeaderboardSnapshot(db, period, now);
  const rows = await db
    .select({
      rank: leaderboardRows.rank,
      userId: leaderboardRows.ownerId,
      displayName: sql<string>`coalesce(nullif(trim(${users.pseudonym}), ''), ${users.name})`,
      points: leaderboardRows.points,
      correct: leaderboardRows.correct,
      partial: leaderboardRows.partial,
      answered: leaderboardRows.answered,
    })
    .from(leaderboardRows)
    .innerJoin(users, eq(users.id, leaderboardRows.ownerId))
    .where(and(eq(leaderboardRows.snapshotKey, key), eq(leaderboardRows.kind, "user")))
    .orderBy(asc(leaderboardRows.position))
    .limit(limit)
    .offset(offset);
  // Streaks are all-time in every period; the case positions are the same in every snapshot of this moment.
  const streaks = await streaksFromSnapshot(db, key, rows.map((r) => r.userId));
  return rows.map((r) => {
    const s = streaks.get(r.userId) ?? { current: 0, best: 0 };
    return { ...r, streak: s.current, bestStreak: s.best };
  });
}

/**
 * Current and best streaks of some residents over all revealed cases in case order, with the rules of
 * computeStreaks (lib/leaderboard/scoring.ts), computed in SQL so only one row per resident leaves the database:
 * a resident's own `review` cases are taken out of the sequence (pending), then runs of correct or partial
 * answers at consecutive positions are islands. Case positions come from the snapshot. The integration tests
 * check it against computeStreaks.
 */
export async function getStreaks(db: Db, userIds: readonly string[], now: Date): Promise<Map<string, { current: number; best: number }>> {
  return streaksFromSnapshot(db, await ensureLeaderboardSnapshot(db, "all", now), userIds);
}

async function streaksFromSnapshot(db: Db, key: string, userIds: readonly string[]): Promise<Map<string, { current: number; best: number }>> {
  const out = new Map<string, { current: number; best: number }>();
  if (userIds.length === 0) return out;
  const ids = sql.join(userIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = rowsOf<{ user_id: string; best: number; current: number }>(
    await db.execute(sql`
      with mine as materialized (
        -- These residents' entries first (an index range per resident), then their cases' positions: a freshly
        -- built snapshot has no statistics yet, and planned the other way round this probed the submissions once
        -- per revealed case (420 ms on the benchmark's 2,000 cases instead of under 1 ms).
        select ${submissions.userId} as user_id, ${submissions.caseId} as case_id, ${submissions.verdict}::text as verdict
        from ${submissions}
        where ${submissions.mode} = 'competition' and ${submissions.userId} in (${ids})
      ), e as (
        select m.user_id, r.position as pos, m.verdict
        from mine m
        join ${leaderboardRows} r on r.snapshot_key = ${key} and r.kind = 'case' and r.owner_id = m.case_id
      ), adj as (
        select user_id, pos, verdict,
               pos - count(*) filter (where verdict = 'review') over (partition by user_id order by pos) as apos
        from e
      ), good as (
        select user_id, apos, apos - row_number() over (partition by user_id order by apos) as grp
        from adj where verdict in ('correct', 'partial')
      ), runs as (
        select user_id, count(*)::int as len, max(apos) as last_apos from good group by user_id, grp
      ), pending as (
        select user_id, count(*) filter (where verdict = 'review') as n from e group by user_id
      ), total as (
        select coalesce(max(position), 0) as n from ${leaderboardRows} where snapshot_key = ${key} and kind = 'case'
      )
      select runs.user_id, max(len)::int as best,
             coalesce(max(len) filter (where last_apos = (select n from total) - pending.n), 0)::int as current
      from runs join pending on pending.user_id = runs.user_id
      group by runs.user_id`),
  );
  for (const id of userIds) out.set(id, { current: 0, best: 0 });
  for (const r of rows) out.set(r.user_id, { current: Number(r.current), best: Number(r.best) });
  return out;
}

export type GroupRow = {
  rank: number;
  groupId: string;
  name: string;
  members: number;
  activeMembers: number;
  groupEntryPoints: number;
  memberPoints: number;
  score: number;
};

/**
 * Resident groups ranked by groupScore (lib/leaderboard/scoring.ts): their own entries' points plus their
 * members' points divided by the number of active members, in a period.
 */
export async function listGroupLeaderboard(db: Db, options: { period: Period; now: Date; limit?: number }): Promise<GroupRow[]> {
  const key = await ensureLeaderboardSnapshot(db, options.period, options.now);
  const rows = await db
    .select({
      rank: leaderboardRows.rank,
      groupId: leaderboardRows.ownerId,
      name: residentGroups.name,
      members: leaderboardRows.members,
      activeMembers: leaderboardRows.activeMembers,
      groupEntryPoints: leaderboardRows.groupPoints,
      memberPoints: leaderboardRows.memberPoints,
    })
    .from(leaderboardRows)
    .innerJoin(residentGroups, eq(residentGroups.id, leaderboardRows.ownerId))
    .where(and(eq(leaderboardRows.snapshotKey, key), eq(leaderboardRows.kind, "group")))
    .orderBy(asc(leaderboardRows.position))
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 1000));
  return rows.map((r) => ({ ...r, score: groupScore(r) }));
}

export type StandingRow = { rank: number; points: number; answered: number } | undefined;

/** One resident's own rank and points in a period (for "you are #12"), or undefined before any counted entry. */
export async function getIndividualStanding(db: Db, userId: string, options: { period: Period; now: Date }): Promise<StandingRow> {
  const key = await ensureLeaderboardSnapshot(db, options.period, options.now);
  const rows = await db
    .select({ rank: leaderboardRows.rank, points: leaderboardRows.points, answered: leaderboardRows.answered })
    .from(leaderboardRows)
    .where(and(eq(leaderboardRows.snapshotKey, key), eq(leaderboardRows.kind, "user"), eq(leaderboardRows.ownerId, userId)))
    .limit(1);
  return rows[0];
}

/** The latest revealed cases (number and revealed title), for per-case "who was right" lists. */
export async function listRecentlyRevealedCases(db: Db, now: Date, limit = 5) {
  const result = await db.execute(sql`
    select ${cases.id} as id, ${cases.number} as number, cc.title as title,
           least(${cases.revealedAt}, ${cases.revealsAt}) as revealed_at
    from ${cases} left join case_content cc on cc.case_id = ${cases.id}
    where ${revealedCase(now)}
    order by least(${cases.revealedAt}, ${cases.revealsAt}) desc nulls last, ${cases.number} desc
    limit ${limit}`);
  return rowsOf<{ id: string; number: number; title: string | null }>(result).map((r) => ({ id: r.id, number: Number(r.number), title: r.title ?? "" }));
}
