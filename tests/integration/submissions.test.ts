import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { listIndividualLeaderboard } from "@/db/queries/leaderboard";
import { getSubmissionContext, listAnswerGroups, listCorrectEntrants, listReviewQueue, saveEntry } from "@/db/queries/submissions";
import { answerKeys, auditLog, cases, submissionRevisions, submissions } from "@/db/schema";
import { overrideVerdict } from "@/lib/submissions/adjudicate";
import { getEntry, listEntryRevisions, submitAnswer, submitGroupAnswer } from "@/lib/submissions/submit";
import { createTestDatabase, testEngine } from "../support/test-db";
import { at, insertCase, insertGroup, insertUser } from "./submissions-fixtures";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

// Open from base-24h to base+24h, revealed at base+48h.
const base = new Date("2026-03-10T12:00:00Z");
const open = at(base, 0);
const afterDeadline = at(base, 30);
const afterReveal = at(base, 60);

const rowsFor = async (caseId: string) => (await handle.db.select({ n: count() }).from(submissions).where(eq(submissions.caseId, caseId)))[0]!.n;

describe(`submissions on ${testEngine}`, () => {
  it("keeps one entry per resident, edited before the deadline with history kept and the last answer counting", async () => {
    const c = await insertCase(handle.db, base);
    const ada = await insertUser(handle.db, "Ada");
    const first = await submitAnswer(handle.db, ada, { caseId: c.id, answers: ["schwannoma"] }, open);
    expect(first).toMatchObject({ ok: true, mode: "competition", changed: true, answers: ["schwannoma"] });
    expect(first.ok && "practice" in first).toBe(false); // no verdict before the reveal
    const second = await submitAnswer(handle.db, ada, { caseId: c.id, answers: ["EMH", "schwannoma", ""] }, at(base, 2));
    expect(second).toMatchObject({ ok: true, changed: true, answers: ["EMH", "schwannoma"] });
    expect(await rowsFor(c.id)).toBe(1);
    const entry = await getEntry(handle.db, c.id, { userId: ada.id });
    expect(entry).toMatchObject({ answers: ["EMH", "schwannoma"], verdict: "correct", score: 1, lastEditedBy: ada.id });
    expect(entry!.submittedAt.toISOString()).toBe(at(base, 2).toISOString());
    const revisions = await listEntryRevisions(handle.db, entry!.id);
    expect(revisions.map((r) => r.answers)).toEqual([["schwannoma"], ["EMH", "schwannoma"]]);
    expect(revisions.map((r) => r.at.toISOString())).toEqual([open.toISOString(), at(base, 2).toISOString()]);
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, entry!.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["submission.create", "submission.edit"]);
  });

  it("refuses an entry after the deadline with the reason, and keeps the earlier one", async () => {
    const c = await insertCase(handle.db, base);
    const bo = await insertUser(handle.db, "Bo");
    await submitAnswer(handle.db, bo, { caseId: c.id, answers: ["EMH"] }, open);
    const late = await submitAnswer(handle.db, bo, { caseId: c.id, answers: ["lymphoma"] }, afterDeadline);
    expect(late).toEqual({ ok: false, code: "closed", error: "The deadline passed on 2026-03-11 12:00 UTC; this case is closed." });
    expect((await getEntry(handle.db, c.id, { userId: bo.id }))!.answers).toEqual(["EMH"]);
    // An educator's manual close counts as the deadline too.
    const closedEarly = await insertCase(handle.db, base, { closedAt: at(base, -1) });
    const refused = await submitAnswer(handle.db, bo, { caseId: closedEarly.id, answers: ["EMH"] }, open);
    expect(refused).toMatchObject({ ok: false, code: "closed", error: expect.stringContaining("2026-03-10 11:00 UTC") });
    expect(await rowsFor(closedEarly.id)).toBe(0);
  });

  it("takes practice entries after the reveal, shows their verdict at once, and never counts them", async () => {
    const c = await insertCase(handle.db, base);
    const cy = await insertUser(handle.db, "Cy Practice");
    const practice = await submitAnswer(handle.db, cy, { caseId: c.id, answers: ["extramedullary hematopoiesis"] }, afterReveal);
    expect(practice).toMatchObject({ ok: true, mode: "practice", practice: { verdict: "correct", score: 1 } });
    const board = await listIndividualLeaderboard(handle.db, { period: "all", now: afterReveal, limit: 500 });
    expect(board.find((r) => r.userId === cy.id)).toBeUndefined();
    expect(await listCorrectEntrants(handle.db, c.id)).toEqual([]);
    // Asking for a competition entry on a revealed case is refused with the reason.
    const asCompetition = await submitAnswer(handle.db, cy, { caseId: c.id, answers: ["EMH"], mode: "competition" }, afterReveal);
    expect(asCompetition).toMatchObject({ ok: false, code: "practice-only" });
  });

  it("is idempotent: a double submit leaves one row and one revision, even when concurrent", async () => {
    const c = await insertCase(handle.db, base);
    const di = await insertUser(handle.db, "Di");
    const results = await Promise.all([0, 1, 2].map(() => submitAnswer(handle.db, di, { caseId: c.id, answers: ["EMH"] }, open)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.changed)).toHaveLength(1);
    const again = await submitAnswer(handle.db, di, { caseId: c.id, answers: [" EMH "] }, at(base, 3));
    expect(again).toMatchObject({ ok: true, changed: false });
    expect(await rowsFor(c.id)).toBe(1);
    const entry = await getEntry(handle.db, c.id, { userId: di.id });
    expect(entry!.submittedAt.toISOString()).toBe(open.toISOString()); // the no-op resubmit moved nothing
    expect(await listEntryRevisions(handle.db, entry!.id)).toHaveLength(1);
    // The same diagnoses in another order are another differential: an edit, each time.
    expect(await submitAnswer(handle.db, di, { caseId: c.id, answers: ["EMH", "schwannoma"] }, at(base, 4))).toMatchObject({ ok: true, changed: true });
    expect(await submitAnswer(handle.db, di, { caseId: c.id, answers: ["schwannoma", "EMH"] }, at(base, 5))).toMatchObject({ ok: true, changed: true });
    expect(await submitAnswer(handle.db, di, { caseId: c.id, answers: ["schwannoma", "EMH"] }, at(base, 6))).toMatchObject({ ok: true, changed: false });
    expect(await listEntryRevisions(handle.db, entry!.id)).toHaveLength(3);
    expect(await rowsFor(c.id)).toBe(1);
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const c = await insertCase(handle.db, base);
    const draft = await insertCase(handle.db, base, { status: "draft" });
    const scheduled = await insertCase(handle.db, base, { opensAt: at(base, 5) });
    const ed = await insertUser(handle.db, "Ed");
    const submit = (input: unknown, now = open) => submitAnswer(handle.db, ed, input, now);
    expect(await submit({ caseId: c.id, answers: ["", "  "] })).toEqual({ ok: false, fieldErrors: { answers: "Enter your most likely diagnosis" } });
    expect(await submit({ caseId: c.id })).toMatchObject({ ok: false, fieldErrors: { answers: expect.any(String) } });
    expect(await submit({ caseId: c.id, answers: ["x".repeat(501)] })).toEqual({ ok: false, fieldErrors: { answers: "Each diagnosis may have at most 500 characters" } });
    expect(await submit({ caseId: c.id, answers: ["a", "b", "c", "d"] })).toMatchObject({ ok: false, fieldErrors: { answers: expect.stringContaining("at most 3") } });
    expect(await submit({ caseId: c.id, answers: ["EMH", "emh"] })).toMatchObject({ ok: false, fieldErrors: { answers: expect.stringContaining("only once") } });
    expect(await submit({ caseId: draft.id, answers: ["EMH"] })).toMatchObject({ ok: false, code: "unknown-case" });
    expect(await submit({ caseId: scheduled.id, answers: ["EMH"] })).toMatchObject({ ok: false, code: "unknown-case" });
    expect(await submit({ caseId: "00000000-0000-4000-8000-000000000000", answers: ["EMH"] })).toMatchObject({ ok: false, code: "unknown-case" });
    expect(await submit({ caseId: "not-a-uuid", answers: ["EMH"] })).toMatchObject({ ok: false, code: "unknown-case" });
    expect(await rowsFor(c.id)).toBe(0);
    // Exactly 500 characters is fine; a client clock, verdict or user id in the input is ignored.
    const ok = await submit({ caseId: c.id, answers: ["y".repeat(500)], submittedAt: "2020-01-01T00:00:00Z", verdict: "correct", userId: "someone" });
    expect(ok).toMatchObject({ ok: true });
    const entry = await getEntry(handle.db, c.id, { userId: ed.id });
    expect(entry!.submittedAt.toISOString()).toBe(open.toISOString());
    expect(entry!.verdict).not.toBe("correct");
  });

  it("refuses competition entries from staff while open, but lets them practise after the reveal", async () => {
    const c = await insertCase(handle.db, base);
    const educator = await insertUser(handle.db, "Eve Educator", { role: "educator" });
    expect(await submitAnswer(handle.db, educator, { caseId: c.id, answers: ["EMH"] }, open)).toMatchObject({ ok: false, code: "staff" });
    expect(await submitAnswer(handle.db, educator, { caseId: c.id, answers: ["EMH"] }, afterReveal)).toMatchObject({ ok: true, mode: "practice" });
  });

  it("keeps one group entry that any member may edit until the deadline, showing who changed it last; refuses non-members", async () => {
    const c = await insertCase(handle.db, base);
    const fay = await insertUser(handle.db, "Fay");
    const gus = await insertUser(handle.db, "Gus", { pseudonym: "Radiant Gus" });
    const outsider = await insertUser(handle.db, "Hal");
    const group = await insertGroup(handle.db, "North Program", [fay.id, gus.id]);
    expect(await submitGroupAnswer(handle.db, fay, { caseId: c.id, groupId: group.id, answers: ["schwannoma"] }, open)).toMatchObject({ ok: true, changed: true });
    expect(await submitGroupAnswer(handle.db, gus, { caseId: c.id, groupId: group.id, answers: ["EMH"] }, at(base, 1))).toMatchObject({ ok: true, changed: true });
    const refused = await submitGroupAnswer(handle.db, outsider, { caseId: c.id, groupId: group.id, answers: ["lymphoma"] }, at(base, 2));
    expect(refused).toEqual({ ok: false, code: "not-member", error: "Only members of this resident group may submit or edit its entry." });
    const late = await submitGroupAnswer(handle.db, fay, { caseId: c.id, groupId: group.id, answers: ["lymphoma"] }, afterDeadline);
    expect(late).toMatchObject({ ok: false, code: "closed" });
    const entry = await getEntry(handle.db, c.id, { groupId: group.id });
    expect(entry).toMatchObject({ answers: ["EMH"], lastEditedBy: gus.id, verdict: "correct", userId: null });
    const revisions = await listEntryRevisions(handle.db, entry!.id);
    expect(revisions.map((r) => [r.editedBy, r.answers])).toEqual([[fay.id, ["schwannoma"]], [gus.id, ["EMH"]]]);
    // The group entry is in addition to members' own entries.
    expect(await submitAnswer(handle.db, fay, { caseId: c.id, answers: ["fatty EMH"] }, at(base, 3))).toMatchObject({ ok: true });
    expect(await rowsFor(c.id)).toBe(2);
    // After the reveal, both are congratulated in the order their counting answer came in.
    const entrants = await listCorrectEntrants(handle.db, c.id);
    expect(entrants.map((e) => [e.kind, e.displayName])).toEqual([["group", "North Program"]]);
  });

  it("groups the review queue by normalised answer, and an override updates every match and the leaderboard", async () => {
    const c = await insertCase(handle.db, base);
    const [ivy, jo, kai, lu] = await Promise.all(["Ivy", "Jo", "Kai", "Lu"].map((n) => insertUser(handle.db, `${n} Review`)));
    const educator = await insertUser(handle.db, "Mo Educator", { role: "educator" });
    await submitAnswer(handle.db, ivy!, { caseId: c.id, answers: ["hematopoietic tumour"] }, at(base, 1));
    await submitAnswer(handle.db, jo!, { caseId: c.id, answers: ["Hematopoietic  tumor"] }, at(base, 2));
    await submitAnswer(handle.db, kai!, { caseId: c.id, answers: ["paraspinal mass"] }, at(base, 3));
    await submitAnswer(handle.db, lu!, { caseId: c.id, answers: ["EMH"] }, at(base, 4));
    const queue = await listReviewQueue(handle.db, c.id);
    expect(queue.map((q) => [q.answerGroup, q.count])).toEqual([["hematopoiesis tumor", 2], ["mass paraspinal", 1]]);
    expect(queue[0]!.examples).toEqual(["hematopoietic tumour", "Hematopoietic tumor"]);

    const before = await listIndividualLeaderboard(handle.db, { period: "all", now: afterReveal, limit: 500 });
    expect(before.find((r) => r.userId === ivy!.id)).toMatchObject({ points: 0, answered: 1 });
    const lu0 = before.find((r) => r.userId === lu!.id)!;
    expect(lu0.points).toBe(1);

    const residentTry = await overrideVerdict(handle.db, { caseId: c.id, answerGroup: "hematopoiesis tumor", verdict: "correct", actorId: ivy!.id });
    expect(residentTry.ok).toBe(false);
    const result = await overrideVerdict(handle.db, { caseId: c.id, answerGroup: "hematopoiesis tumor", verdict: "partial", actorId: educator.id });
    expect(result).toEqual({ ok: true, updated: 2 });
    const after = await listIndividualLeaderboard(handle.db, { period: "all", now: afterReveal, limit: 500 });
    expect(after.find((r) => r.userId === ivy!.id)).toMatchObject({ points: 0.5, partial: 1 });
    expect(after.find((r) => r.userId === jo!.id)).toMatchObject({ points: 0.5 });
    expect((await listReviewQueue(handle.db, c.id)).map((q) => q.answerGroup)).toEqual(["mass paraspinal"]);
    const ivyEntry = await getEntry(handle.db, c.id, { userId: ivy!.id });
    expect(ivyEntry).toMatchObject({ verdict: "partial", score: 0.5, overridden: true });
    const audit = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, "submission.override"), eq(auditLog.entityId, c.id)));
    expect(audit).toHaveLength(1);

    // A later entry with the adjudicated answer gets the educator's verdict, not "review".
    const late = await insertUser(handle.db, "Nia Review");
    await submitAnswer(handle.db, late, { caseId: c.id, answers: ["hematopoietic tumor"] }, at(base, 5));
    expect(await getEntry(handle.db, c.id, { userId: late.id })).toMatchObject({ verdict: "partial", score: 0.5, overridden: true });

    // One entry alone can be overridden too.
    expect(await overrideVerdict(handle.db, { caseId: c.id, submissionId: ivyEntry!.id, verdict: "correct", actorId: educator.id })).toEqual({ ok: true, updated: 1 });
    const final = await listIndividualLeaderboard(handle.db, { period: "all", now: afterReveal, limit: 500 });
    expect(final.find((r) => r.userId === ivy!.id)).toMatchObject({ points: 1, correct: 1 });

    const groups = await listAnswerGroups(handle.db, c.id);
    expect(groups[0]).toMatchObject({ answerGroup: "hematopoiesis tumor", count: 3 });
    expect(groups.find((g) => g.answerGroup === "extramedullary hematopoiesis")).toMatchObject({ count: 1, verdict: "correct" });
    const entrants = await listCorrectEntrants(handle.db, c.id);
    expect(entrants.map((e) => e.userId)).toEqual([ivy!.id, lu!.id]);
  });

  it("applies an override recorded after the submit path read its context (the write reads it)", async () => {
    const c = await insertCase(handle.db, base);
    const educator = await insertUser(handle.db, "Pat Educator", { role: "educator" });
    const resident = await insertUser(handle.db, "Quinn Race");
    // The submit path read the case's context and the grader sent this answer to review...
    const context = await getSubmissionContext(handle.db, c.id);
    const graded = { verdict: "review" as const, score: null, answerGroup: "hematopoiesis tumor" };
    // ...and an educator's standing verdict for it commits before the entry is written.
    expect(await overrideVerdict(handle.db, { caseId: c.id, answerGroup: "hematopoiesis tumor", verdict: "correct", actorId: educator.id })).toEqual({
      ok: true,
      updated: 0,
    });
    const saved = await saveEntry(handle.db, {
      caseId: c.id,
      contextVersion: context!.version,
      owner: { userId: resident.id },
      mode: "competition",
      answers: ["hematopoietic tumour"],
      ...graded,
      actorId: resident.id,
      now: at(base, 1),
    });
    expect(saved).toMatchObject({ status: "saved", entry: { created: true, verdict: "correct", score: 1 } });
    expect(await getEntry(handle.db, c.id, { userId: resident.id })).toMatchObject({ verdict: "correct", score: 1, overridden: true });
  });

  it("writes nothing on a context that changed since it was read, and never refuses on a kept one", async () => {
    const c = await insertCase(handle.db, base);
    const rae = await insertUser(handle.db, "Rae");
    const context = await getSubmissionContext(handle.db, c.id);
    // The submit path keeps this case's context from here on.
    expect(await submitAnswer(handle.db, rae, { caseId: c.id, answers: ["schwannoma"] }, open)).toMatchObject({ ok: true, changed: true });
    // An educator closes the case early: a write on the context read before is refused as stale...
    await handle.db.update(cases).set({ closedAt: at(base, -1) }).where(eq(cases.id, c.id));
    const write = { caseId: c.id, owner: { userId: rae.id }, mode: "competition" as const, answers: ["EMH"], verdict: "correct" as const, score: 1, answerGroup: "extramedullary hematopoiesis", actorId: rae.id, now: open };
    expect(await saveEntry(handle.db, { ...write, contextVersion: context!.version })).toEqual({ status: "stale" });
    // ...and the submit path, whose kept context still says open, reads it again and refuses with the reason.
    const late = await submitAnswer(handle.db, rae, { caseId: c.id, answers: ["EMH"] }, open);
    expect(late).toMatchObject({ ok: false, code: "closed", error: expect.stringContaining("2026-03-10 11:00 UTC") });
    // Reopened: the kept context now says closed, which is read again before any refusal.
    await handle.db.update(cases).set({ closedAt: null }).where(eq(cases.id, c.id));
    expect(await submitAnswer(handle.db, rae, { caseId: c.id, answers: ["EMH"] }, open)).toMatchObject({ ok: true, changed: true });
    // A new answer key regrades the next submit.
    await handle.db.update(answerKeys).set({ diagnosis: "schwannoma", synonyms: [] }).where(eq(answerKeys.caseId, c.id));
    await submitAnswer(handle.db, rae, { caseId: c.id, answers: ["schwannoma"] }, open);
    expect(await getEntry(handle.db, c.id, { userId: rae.id })).toMatchObject({ answers: ["schwannoma"], verdict: "correct" });
    expect((await listEntryRevisions(handle.db, (await getEntry(handle.db, c.id, { userId: rae.id }))!.id)).map((r) => r.answers)).toEqual([["schwannoma"], ["EMH"], ["schwannoma"]]);
  });

  it("stores every revision with the server's time, and practice and competition entries apart", async () => {
    const c = await insertCase(handle.db, base);
    const ola = await insertUser(handle.db, "Ola");
    await submitAnswer(handle.db, ola, { caseId: c.id, answers: ["EMH"] }, open);
    await submitAnswer(handle.db, ola, { caseId: c.id, answers: ["schwannoma"] }, afterReveal);
    const rows = await handle.db.select({ mode: submissions.mode, answers: submissions.answers }).from(submissions).where(eq(submissions.caseId, c.id)).orderBy(submissions.mode);
    expect(rows).toEqual([
      { mode: "competition", answers: ["EMH"] },
      { mode: "practice", answers: ["schwannoma"] },
    ]);
    const revisionCount = (await handle.db.select({ n: count() }).from(submissionRevisions).innerJoin(submissions, eq(submissions.id, submissionRevisions.submissionId)).where(eq(submissions.caseId, c.id)))[0]!.n;
    expect(revisionCount).toBe(2);
  });
});
