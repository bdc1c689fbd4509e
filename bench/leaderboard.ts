// Leaderboard and submit benchmark, run by hand (never part of the tests):
//   npx tsx bench/leaderboard.ts [--users 100000] [--cases 2000] [--submissions 1000000] [--engines pglite,postgres] [--db-prefix casebook_bench_]
// Seeds synthetic users, groups, cases and graded competition entries with generate_series SQL, then measures
// the leaderboard queries (p95 over repeated calls) on embedded PGlite and on the local PostgreSQL server, and
// submitAnswer latency (p99) with 50 concurrent clients on PostgreSQL, through the app's own database handle
// (openDatabase, its pool of 10), beside an in-run baseline: the same clients committing one-row inserts. Both are
// measured after an untimed warm-up (two submits per client on another open case), as on a server already taking
// entries; the measured case itself is new to the server.
// The last line is one JSON object; submit_p99_ratio is submit p99 / baseline p99.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase, type Db, type DatabaseHandle } from "../db/client";
import { getIndividualStanding, listGroupLeaderboard, listIndividualLeaderboard } from "../db/queries/leaderboard";
import { submitAnswer } from "../lib/submissions/submit";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    cases: { type: "string", default: "2000" },
    submissions: { type: "string", default: "1000000" },
    groups: { type: "string", default: "500" },
    engines: { type: "string", default: "pglite,postgres" },
    iterations: { type: "string", default: "20" },
    // Name of the scratch PostgreSQL database, before a random suffix; it is dropped at the end.
    "db-prefix": { type: "string", default: "casebook_bench_" },
  },
});
const USERS = Number(args.users);
const CASES = Number(args.cases);
const SUBMISSIONS = Number(args.submissions);
const GROUPS = Number(args.groups);
const ITERATIONS = Number(args.iterations);
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const now = new Date();

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const log = (m: string) => process.stderr.write(`${m}\n`);

/** Seeds everything in SQL: the database does the work, so a million rows take seconds, not minutes. */
async function seed(db: Db) {
  const t0 = performance.now();
  const entriesPerUser = Math.ceil(SUBMISSIONS / USERS);
  const exec = (q: ReturnType<typeof sql>) => db.execute(q);
  await exec(sql.raw(`
    insert into users (email, name, pseudonym, role)
    select 'bench' || g || '@bench.local', 'Resident ' || g, case when g % 5 = 0 then 'Pseudo ' || g end, 'resident'
    from generate_series(1, ${USERS}) g`));
  await exec(sql.raw(`create table bench_u as select id, (row_number() over (order by id) - 1)::int as idx from users where email like 'bench%'`));
  await exec(sql.raw(`create index on bench_u (idx)`));
  await exec(sql.raw(`
    insert into resident_groups (slug, name, invite_code)
    select 'bench-' || g, 'Program ' || g, 'BENCH-' || g from generate_series(1, ${GROUPS}) g`));
  await exec(sql.raw(`create table bench_g as select id, (row_number() over (order by id) - 1)::int as idx from resident_groups where slug like 'bench-%'`));
  // Four in five residents belong to a program.
  await exec(sql.raw(`
    insert into group_memberships (group_id, user_id)
    select g.id, u.id from bench_u u join bench_g g on g.idx = u.idx % ${GROUPS} where u.idx % 5 <> 4`));
  // One case a day, the latest 20 still open or awaiting reveal.
  await exec(sql.raw(`
    insert into cases (slug, number, status, opens_at, closes_at, reveals_at)
    select 'bench-case-' || g, 100000 + g, 'published',
           now() - ((${CASES} - g + 16) || ' days')::interval,
           now() - ((${CASES} - g + 2) || ' days')::interval + interval '20 days' * (g > ${CASES} - 20)::int,
           now() - ((${CASES} - g + 1) || ' days')::interval + interval '20 days' * (g > ${CASES} - 20)::int
    from generate_series(1, ${CASES}) g`));
  await exec(sql.raw(`create table bench_c as select id, opens_at, (row_number() over (order by number) - 1)::int as idx from cases where slug like 'bench-case-%'`));
  await exec(sql.raw(`create index on bench_c (idx)`));
  await exec(sql.raw(`
    insert into answer_keys (case_id, diagnosis, synonyms)
    select id, 'extramedullary hematopoiesis', '{EMH}' from bench_c`));
  // Each resident answers ${entriesPerUser} distinct cases; verdicts 50% correct, 20% partial, 20% incorrect, 10% review.
  await exec(sql.raw(`
    insert into submissions (case_id, user_id, mode, answers, verdict, score, answer_group, submitted_at, updated_at)
    select c.id, u.id, 'competition', array['answer ' || (s.i % 50)],
           v.verdict::verdict, v.score, 'answer ' || (s.i % 50),
           c.opens_at + ((s.i % 300) || ' minutes')::interval, c.opens_at + ((s.i % 300) || ' minutes')::interval
    from generate_series(0, ${SUBMISSIONS - 1}) s(i)
    join bench_u u on u.idx = s.i % ${USERS}
    join bench_c c on c.idx = ((s.i / ${USERS}) * ${Math.max(1, Math.floor(CASES / entriesPerUser))} + (s.i % ${USERS}) * 37 % ${Math.max(1, Math.floor(CASES / entriesPerUser))}) % ${CASES}
    cross join lateral (select case when s.i % 10 < 5 then 'correct' when s.i % 10 < 7 then 'partial' when s.i % 10 < 9 then 'incorrect' else 'review' end as verdict,
                               case when s.i % 10 < 5 then 1.0 when s.i % 10 < 7 then 0.5 when s.i % 10 < 9 then 0.0 end::real as score) v
    on conflict do nothing`));
  // Group entries on the latest 100 cases.
  await exec(sql.raw(`
    insert into submissions (case_id, group_id, mode, answers, verdict, score, answer_group, submitted_at, updated_at)
    select c.id, g.id, 'competition', '{EMH}', 'correct', 1, 'extramedullary hematopoiesis', c.opens_at + interval '1 hour', c.opens_at + interval '1 hour'
    from bench_g g join bench_c c on c.idx >= ${CASES - 100}`));
  await exec(sql.raw(`analyze`));
  const n = Number(((await db.execute(sql.raw(`select count(*)::int as n from submissions`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
  log(`  seeded ${USERS} users, ${CASES} cases, ${n} submissions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return n;
}

type Timing = { name: string; first: number; p50: number; p95: number };

async function measureLeaderboards(db: Db): Promise<{ timings: Timing[]; all: number[] }> {
  const sampleUser = ((await db.execute(sql.raw(`select id from bench_u where idx = 4242 % ${USERS}`))) as unknown as { rows: { id: string }[] }).rows[0]!.id;
  const queries: [string, () => Promise<unknown>][] = [
    ["individuals, all time", () => listIndividualLeaderboard(db, { period: "all", now, limit: 50 })],
    ["individuals, academic year", () => listIndividualLeaderboard(db, { period: "year", now, limit: 50 })],
    ["individuals, month", () => listIndividualLeaderboard(db, { period: "month", now, limit: 50 })],
    ["own standing, all time", () => getIndividualStanding(db, sampleUser, { period: "all", now })],
    ["groups, all time", () => listGroupLeaderboard(db, { period: "all", now })],
  ];
  const timings: Timing[] = [];
  const all: number[] = [];
  for (const [name, run] of queries) {
    // The first call of a period builds its snapshot (what the first reader after a reveal or override pays).
    const t0 = performance.now();
    await run();
    const first = performance.now() - t0;
    const xs: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t = performance.now();
      await run();
      xs.push(performance.now() - t);
    }
    all.push(...xs);
    timings.push({ name, first, p50: percentile(xs, 50), p95: percentile(xs, 95) });
    log(`  ${name}: first ${first.toFixed(0)} ms, p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`);
  }
  return { timings, all };
}

type SubmitTimings = { p50: number; p99: number; baselineP50: number; baselineP99: number };

/**
 * 50 clients submit and edit entries on one open case through the real submit path (submitAnswer: validation,
 * visibility, grading, the write), on the app's own database handle and pool, as a server's request handlers
 * would. The baseline, measured just before on the same pool by the same 50 clients, is the cheapest durable
 * write there is: one single-row insert committed per request.
 */
async function measureSubmits(db: Db): Promise<SubmitTimings> {
  const open = ((await db.execute(sql.raw(`select id from cases where slug like 'bench-case-%' and closes_at > now() order by number limit 2`))) as unknown as { rows: { id: string }[] }).rows;
  const [caseId, warmUpCaseId] = [open[0]!.id, open[1]!.id];
  const users = ((await db.execute(sql.raw(`select id from bench_u order by idx desc limit 50`))) as unknown as { rows: { id: string }[] }).rows;
  const answers = ["EMH", "schwannoma", "paraspinal extramedullary hematopoiesis", "lymphoma", "hematopoietic tumour"];
  const ROUNDS = 20;
  const run = async (step: (userId: string, client: number, round: number) => Promise<void>) => {
    const latencies: number[] = [];
    await Promise.all(
      users.map(async (u, c) => {
        for (let i = 0; i < ROUNDS; i++) {
          const t = performance.now();
          await step(u.id, c, i);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies;
  };
  // Not timed: the same clients submit twice to another open case first, as a server that has been taking entries
  // has done (its Node code compiled, submission_save compiled on each pooled connection). The measured case is
  // still new to the server: its first submits read its context, as a burst when a case opens does.
  await run(async (userId, c, i) => {
    if (i >= 2) return;
    const result = await submitAnswer(db, { id: userId, role: "resident" }, { caseId: warmUpCaseId, answers: [answers[(c + i) % answers.length]!] }, new Date());
    if (!result.ok) throw new Error(`warm-up submit failed: ${JSON.stringify(result)}`);
  });
  await db.execute(sql.raw(`create table bench_floor (id bigserial primary key, user_id uuid not null, at timestamptz not null)`));
  const floor = await run(async (userId) => {
    await db.execute(sql`insert into bench_floor (user_id, at) values (${userId}, now())`);
  });
  const latencies = await run(async (userId, c, i) => {
    const result = await submitAnswer(db, { id: userId, role: "resident" }, { caseId, answers: [answers[(c + i) % answers.length]!] }, new Date());
    if (!result.ok) throw new Error(`submit failed: ${JSON.stringify(result)}`);
  });
  const timings = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), baselineP50: percentile(floor, 50), baselineP99: percentile(floor, 99) };
  log(`  one-row insert (50 clients x ${ROUNDS}, baseline): p50 ${timings.baselineP50.toFixed(1)} ms, p99 ${timings.baselineP99.toFixed(1)} ms`);
  log(`  submit (50 clients x ${ROUNDS}): p50 ${timings.p50.toFixed(1)} ms, p99 ${timings.p99.toFixed(1)} ms`);
  return timings;
}

async function withPostgres<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const name = `${args["db-prefix"]}${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}

async function main() {
  const engines = args.engines.split(",");
  const result: Record<string, number | null> = {
    leaderboard_p95_ms_pglite: null,
    leaderboard_p95_ms_postgres: null,
    submit_p99_ms_postgres: null,
    submit_baseline_p99_ms_postgres: null,
    submit_p99_ratio: null,
    submissions: null,
  };
  const table: string[] = [];
  if (engines.includes("pglite")) {
    log("PGlite (in memory):");
    const handle = await openDatabase({ dir: "memory://" });
    try {
      result.submissions = await seed(handle.db);
      const { timings, all } = await measureLeaderboards(handle.db);
      result.leaderboard_p95_ms_pglite = Number(percentile(all, 95).toFixed(1));
      for (const t of timings) table.push(`| pglite   | ${t.name.padEnd(28)} | ${t.first.toFixed(0).padStart(10)} | ${t.p50.toFixed(1).padStart(8)} | ${t.p95.toFixed(1).padStart(8)} |`);
    } finally {
      await handle.close();
    }
  }
  if (engines.includes("postgres")) {
    log("PostgreSQL:");
    await withPostgres(async (handle) => {
      result.submissions = await seed(handle.db);
      const { timings, all } = await measureLeaderboards(handle.db);
      result.leaderboard_p95_ms_postgres = Number(percentile(all, 95).toFixed(1));
      for (const t of timings) table.push(`| postgres | ${t.name.padEnd(28)} | ${t.first.toFixed(0).padStart(10)} | ${t.p50.toFixed(1).padStart(8)} | ${t.p95.toFixed(1).padStart(8)} |`);
      const submit = await measureSubmits(handle.db);
      result.submit_p99_ms_postgres = Number(submit.p99.toFixed(1));
      result.submit_baseline_p99_ms_postgres = Number(submit.baselineP99.toFixed(1));
      result.submit_p99_ratio = Number((submit.p99 / submit.baselineP99).toFixed(2));
      table.push(`| postgres | ${"baseline 1-row insert (p99)".padEnd(28)} | ${"".padStart(10)} | ${submit.baselineP50.toFixed(1).padStart(8)} | ${submit.baselineP99.toFixed(1).padStart(8)} |`);
      table.push(`| postgres | ${"submit, 50 clients (p99)".padEnd(28)} | ${"".padStart(10)} | ${submit.p50.toFixed(1).padStart(8)} | ${submit.p99.toFixed(1).padStart(8)} |`);
    });
  }
  // The two submit rows give p99 in the last column.
  console.log(`| engine   | ${"query".padEnd(28)} | first (ms) | p50 (ms) | p95 (ms) |`);
  console.log(`|----------|${"-".repeat(30)}|------------|----------|----------|`);
  for (const line of table) console.log(line);
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
