import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, inArray } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { listGroupLeaderboard, listIndividualLeaderboard } from "@/db/queries/leaderboard";
import { listCorrectEntrants } from "@/db/queries/submissions";
import { submissionRevisions, submissions } from "@/db/schema";
import { seedDemoSubmissions } from "@/lib/demo/seed-submissions";
import { gradeSubmission } from "@/lib/grading";
import { createTestDatabase, testEngine } from "../support/test-db";
import { at, emhKey, insertCase } from "./submissions-fixtures";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

const now = new Date("2026-11-22T12:00:00Z");

describe(`demo submissions seed on ${testEngine}`, () => {
  it("seeds graded past entries on revealed cases only, before each deadline, idempotently", async () => {
    const db = handle.db;
    // Fixed numbers (and so slugs): the seed's choices are deterministic per slug.
    const revealedA = await insertCase(db, at(now, -24 * 40), { number: 501 });
    const revealedB = await insertCase(db, at(now, -24 * 20), { number: 502 });
    const open = await insertCase(db, now, { number: 503 });
    const noKey = await insertCase(db, at(now, -24 * 10), { number: 504 }, null);

    const first = await seedDemoSubmissions(db, now);
    expect(first.residents).toBe(7);
    expect(first.groups).toBe(3);
    expect(first.submissions).toBeGreaterThan(10);
    const second = await seedDemoSubmissions(db, now);
    expect(second.submissions).toBe(0);

    const rows = await db.select().from(submissions);
    expect(rows).toHaveLength(first.submissions);
    expect(new Set(rows.map((r) => r.caseId))).toEqual(new Set([revealedA.id, revealedB.id]));
    expect(rows.some((r) => r.caseId === open.id || r.caseId === noKey.id)).toBe(false);
    for (const r of rows) {
      const c = r.caseId === revealedA.id ? revealedA : revealedB;
      expect(r.submittedAt.getTime()).toBeLessThan(c.closesAt!.getTime());
      expect(r.submittedAt.getTime()).toBeGreaterThan(c.opensAt!.getTime());
      expect(r.verdict).toBe(gradeSubmission(r.answers, emhKey).verdict);
      expect(r.mode).toBe("competition");
    }
    expect(rows.filter((r) => r.groupId !== null)).toHaveLength(6);
    const revisions = (await db.select({ n: count() }).from(submissionRevisions).where(inArray(submissionRevisions.submissionId, rows.map((r) => r.id))))[0]!.n;
    expect(revisions).toBe(rows.length);

    const board = await listIndividualLeaderboard(db, { period: "all", now });
    expect(board.length).toBeGreaterThan(3);
    const names = board.map((r) => r.displayName);
    // Pseudonyms replace names; residents without one appear by name.
    expect(names.filter((n) => ["Hounsfield Hero", "T2 Bright", "Window Level"].includes(n)).length).toBeGreaterThan(0);
    expect(names.filter((n) => ["Priya Natarajan", "Mei Lindqvist", "Sara Demir"].includes(n))).toEqual([]);
    expect((await listGroupLeaderboard(db, { period: "all", now })).length).toBe(3);
    const correct = await listCorrectEntrants(db, revealedA.id);
    expect(correct.length).toBeGreaterThan(0);
    expect(correct.length).toBe(rows.filter((r) => r.caseId === revealedA.id && r.verdict === "correct").length);
    expect((await db.select({ n: count() }).from(submissions).where(eq(submissions.caseId, open.id)))[0]!.n).toBe(0);
  });
});
