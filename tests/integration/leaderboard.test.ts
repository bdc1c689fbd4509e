import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { cases, groupMemberships, leaderboardSnapshots, submissions, users } from "@/db/schema";
import { getIndividualStanding, getStreaks, listGroupLeaderboard, listIndividualLeaderboard } from "@/db/queries/leaderboard";
import { computeStreaks, type ScoredVerdict } from "@/lib/leaderboard/scoring";
import { overrideVerdict } from "@/lib/submissions/adjudicate";
import { getEntry, submitAnswer, submitGroupAnswer } from "@/lib/submissions/submit";
import { createTestDatabase, testEngine } from "../support/test-db";
import { at, insertCase, insertGroup, insertUser } from "./submissions-fixtures";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

// Three cases in consecutive months of one academic year, one in the previous year, one not yet revealed.
const lastYear = new Date("2026-05-10T12:00:00Z"); // academic year 2025/26
const sep = new Date("2026-09-10T12:00:00Z");
const oct = new Date("2026-10-10T12:00:00Z");
const nov = new Date("2026-11-10T12:00:00Z");
const now = new Date("2026-11-25T12:00:00Z");

describe(`leaderboards on ${testEngine}`, () => {
  it("ranks individuals by points per period with streaks and pseudonyms, counting only revealed competition cases", async () => {
    const db = handle.db;
    const c0 = await insertCase(db, lastYear, { number: 10 });
    const c1 = await insertCase(db, sep, { number: 11 });
    const c2 = await insertCase(db, oct, { number: 12 });
    const c3 = await insertCase(db, nov, { number: 13 });
    const pending = await insertCase(db, nov, { number: 14, revealsAt: at(now, 48), closesAt: at(now, 24) });
    const ana = await insertUser(db, "Ana Real", { pseudonym: "Night Owl" });
    const ben = await insertUser(db, "Ben Real");
    const cat = await insertUser(db, "Cat Real");
    const answer = (u: { id: string; role: "resident" | "educator" | "admin" }, c: { id: string }, base: Date, answers: string[]) => submitAnswer(db, u, { caseId: c.id, answers }, base);
    // Ana: correct, correct, correct, correct -> 4 points all time, streak 4.
    for (const [c, b] of [[c0, lastYear], [c1, sep], [c2, oct], [c3, nov]] as const) expect((await answer(ana, c, b, ["EMH"])).ok).toBe(true);
    // Ben: incorrect last year, partial, correct, correct -> 2.5, streak 3.
    await answer(ben, c0, lastYear, ["lymphoma"]);
    await answer(ben, c1, sep, ["schwannoma", "EMH"]);
    await answer(ben, c2, oct, ["EMH"]);
    await answer(ben, c3, nov, ["EMH"]);
    // Cat: only the pending case (not counted yet) and the November case, wrong.
    await answer(cat, pending, now, ["EMH"]);
    await answer(cat, c3, nov, ["lymphoma"]);
    // Practice after the reveal never counts.
    await answer(cat, c1, now, ["EMH"]);

    const all = await listIndividualLeaderboard(db, { period: "all", now });
    expect(all.map((r) => [r.rank, r.displayName, r.points, r.answered, r.streak, r.bestStreak])).toEqual([
      [1, "Night Owl", 4, 4, 4, 4],
      [2, "Ben Real", 2.5, 4, 3, 3],
      [3, "Cat Real", 0, 1, 0, 0],
    ]);
    expect(all.some((r) => r.displayName.includes("Ana"))).toBe(false);
    const year = await listIndividualLeaderboard(db, { period: "year", now });
    expect(year.map((r) => [r.displayName, r.points])).toEqual([["Night Owl", 3], ["Ben Real", 2.5], ["Cat Real", 0]]);
    const month = await listIndividualLeaderboard(db, { period: "month", now });
    // Ties share a rank; their order is stable but arbitrary, so compare as a set.
    expect(month.map((r) => [r.rank, r.displayName, r.points]).sort()).toEqual([[1, "Ben Real", 1], [1, "Night Owl", 1], [3, "Cat Real", 0]]);
    expect(await getIndividualStanding(db, ben.id, { period: "all", now })).toEqual({ rank: 2, points: 2.5, answered: 4 });
    expect(await getIndividualStanding(db, ben.id, { period: "month", now })).toMatchObject({ rank: 1, points: 1 });
    // Before the November reveal the November case counts for nobody.
    const beforeReveal = await listIndividualLeaderboard(db, { period: "all", now: at(nov, 30) });
    expect(beforeReveal.find((r) => r.userId === ana.id)).toMatchObject({ points: 3, streak: 3 });
    expect(beforeReveal.find((r) => r.userId === cat.id)).toBeUndefined();
  });

  it("weights resident groups by active members so a small program can win", async () => {
    const db = handle.db;
    const c1 = await insertCase(db, sep, { number: 21 });
    const c2 = await insertCase(db, oct, { number: 22 });
    const smallMembers = await Promise.all(["S1", "S2"].map((n) => insertUser(db, n)));
    const largeMembers = await Promise.all(["L1", "L2", "L3", "L4", "L5", "L6"].map((n) => insertUser(db, n)));
    const idle = await insertUser(db, "L-idle");
    const small = await insertGroup(db, "Small Program", smallMembers.map((u) => u.id));
    const large = await insertGroup(db, "Large Program", [...largeMembers, idle].map((u) => u.id));
    for (const u of smallMembers) {
      await submitAnswer(db, u, { caseId: c1.id, answers: ["EMH"] }, sep);
      await submitAnswer(db, u, { caseId: c2.id, answers: ["EMH"] }, oct);
    }
    for (const [i, u] of largeMembers.entries()) {
      await submitAnswer(db, u, { caseId: c1.id, answers: [i < 3 ? "EMH" : "lymphoma"] }, sep);
      await submitAnswer(db, u, { caseId: c2.id, answers: ["schwannoma"] }, oct);
    }
    await submitGroupAnswer(db, smallMembers[0]!, { caseId: c1.id, groupId: small.id, answers: ["EMH"] }, sep);
    await submitGroupAnswer(db, largeMembers[0]!, { caseId: c1.id, groupId: large.id, answers: ["EMH"] }, sep);
    await submitGroupAnswer(db, largeMembers[1]!, { caseId: c2.id, groupId: large.id, answers: ["fatty EMH"] }, oct);

    const board = await listGroupLeaderboard(db, { period: "all", now });
    const mine = board.filter((g) => g.groupId === small.id || g.groupId === large.id);
    // Small: 1 + 4 / 2 = 3. Large: 1.5 + 3 / 6 = 2 (the idle member does not dilute it).
    expect(mine.map((g) => [g.name, g.score, g.members, g.activeMembers, g.groupEntryPoints, g.memberPoints])).toEqual([
      ["Small Program", 3, 2, 2, 1, 4],
      ["Large Program", 2, 7, 6, 1.5, 3],
    ]);
    expect(mine[0]!.rank).toBeLessThan(mine[1]!.rank);
    // The October month window holds only the October case.
    const october = await listGroupLeaderboard(db, { period: "month", now: new Date("2026-10-30T12:00:00Z") });
    expect(october.find((g) => g.groupId === large.id)).toMatchObject({ groupEntryPoints: 0.5, memberPoints: 0, score: 0.5 });
  });

  it("serves rankings from a cached snapshot that follows reveals, manual reveals, overrides, memberships and deletions", async () => {
    const db = handle.db;
    const base = new Date("2027-01-10T12:00:00Z");
    const later = at(base, 24 * 5);
    const c = await insertCase(db, base, { number: 31 });
    const manual = await insertCase(db, base, { number: 32, revealsAt: at(base, 24 * 30) });
    const [ray, sol, tam] = await Promise.all(["Ray", "Sol", "Tam"].map((n) => insertUser(db, `${n} Snap`)));
    const educator = await insertUser(db, "Uma Educator", { role: "educator" });
    await submitAnswer(db, ray!, { caseId: c.id, answers: ["EMH"] }, base);
    await submitAnswer(db, sol!, { caseId: c.id, answers: ["hematopoietic tumour"] }, base);
    await submitAnswer(db, tam!, { caseId: manual.id, answers: ["EMH"] }, base);
    const group = await insertGroup(db, "Snapshot Program", [ray!.id]);
    const points = async () => new Map((await listIndividualLeaderboard(db, { period: "all", now: later, limit: 500 })).map((r) => [r.userId, r.points]));

    const first = await points();
    expect(first.get(ray!.id)).toBe(1);
    expect(first.get(sol!.id)).toBe(0);
    expect(first.has(tam!.id)).toBe(false); // the manual case is not revealed yet
    const snapshots = await db.select().from(leaderboardSnapshots).where(eq(leaderboardSnapshots.period, "all"));
    expect(snapshots.length).toBeGreaterThan(0);

    // A repeated read reuses the snapshot instead of building another.
    await points();
    expect(await db.select().from(leaderboardSnapshots).where(eq(leaderboardSnapshots.period, "all"))).toHaveLength(snapshots.length);

    // An adjudication shows at once.
    await overrideVerdict(db, { caseId: c.id, answerGroup: (await getEntry(db, c.id, { userId: sol!.id }))!.answerGroup!, verdict: "correct", actorId: educator.id });
    expect((await points()).get(sol!.id)).toBe(1);

    // An educator's manual reveal shows at once.
    await db.update(cases).set({ revealedAt: at(base, 48) }).where(eq(cases.id, manual.id));
    expect((await points()).get(tam!.id)).toBe(1);

    // A new member counts for the group at once.
    const before = (await listGroupLeaderboard(db, { period: "all", now: later })).find((g) => g.groupId === group.id)!;
    expect(before).toMatchObject({ members: 1, activeMembers: 1, memberPoints: 1 });
    await db.insert(groupMemberships).values({ groupId: group.id, userId: sol!.id });
    const after = (await listGroupLeaderboard(db, { period: "all", now: later })).find((g) => g.groupId === group.id)!;
    expect(after).toMatchObject({ members: 2, activeMembers: 2, memberPoints: 2, score: 1 });

    // A deleted resident disappears, and ranks close up.
    await db.delete(users).where(eq(users.id, ray!.id));
    const board = await listIndividualLeaderboard(db, { period: "all", now: later, limit: 500 });
    expect(board.some((r) => r.userId === ray!.id)).toBe(false);
    for (const r of board) expect(r.rank).toBe(1 + board.filter((o) => o.points > r.points).length);
  });

  it("computes streaks in SQL exactly as computeStreaks does, on random histories with pending reviews", async () => {
    const db = handle.db;
    const base = new Date("2028-03-01T12:00:00Z");
    const later = new Date("2029-01-01T00:00:00Z");
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const caseRows = [];
    for (let i = 0; i < 14; i++) caseRows.push(await insertCase(db, at(base, 24 * 3 * i), { number: 900_001 + i }));
    const residents = [];
    const choices = [["EMH"], ["fatty EMH"], ["lymphoma"], ["hematopoietic tumour"], null] as const;
    for (let u = 0; u < 10; u++) {
      const r = await insertUser(db, `Streak ${u}`);
      residents.push(r);
      for (const [i, c] of caseRows.entries()) {
        // Residents 0 and 1 answer everything right or partly right; the rest are random.
        const pick = u === 0 ? choices[0] : u === 1 ? choices[i % 2] : choices[Math.floor(random() * choices.length)];
        if (pick) expect((await submitAnswer(db, r, { caseId: c.id, answers: [...pick] }, at(base, 24 * 3 * i))).ok).toBe(true);
      }
    }
    const order = (
      await db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.status, "published"), isNotNull(cases.revealsAt), lte(cases.revealsAt, later)))
        .orderBy(asc(cases.number))
    ).map((r) => r.id);
    const entries = await db
      .select({ userId: submissions.userId, caseId: submissions.caseId, verdict: submissions.verdict })
      .from(submissions)
      .where(and(eq(submissions.mode, "competition"), inArray(submissions.userId, residents.map((r) => r.id))));
    const sqlStreaks = await getStreaks(db, residents.map((r) => r.id), later);
    for (const r of residents) {
      const verdicts = new Map(entries.filter((e) => e.userId === r.id && e.verdict).map((e) => [e.caseId, e.verdict as ScoredVerdict]));
      expect(sqlStreaks.get(r.id), r.name).toEqual(computeStreaks(order, verdicts));
    }
    expect(sqlStreaks.get(residents[0]!.id)).toEqual({ current: 14, best: 14 });
    expect(sqlStreaks.get(residents[1]!.id)).toEqual({ current: 14, best: 14 });
    expect(new Set([...sqlStreaks.values()].map((s) => s.best)).size).toBeGreaterThan(2);
  });
});
