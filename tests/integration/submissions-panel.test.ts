import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { loadSubmissionPanel } from "@/lib/submissions/panel-data";
import { submitAnswer, submitGroupAnswer } from "@/lib/submissions/submit";
import { createTestDatabase, testEngine } from "../support/test-db";
import { at, insertCase, insertGroup, insertUser } from "./submissions-fixtures";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

const base = new Date("2026-04-01T09:00:00Z");

describe(`submission panel data on ${testEngine}`, () => {
  it("shows the entry, its history and the group entry's last editor, hiding the verdict until the reveal", async () => {
    const db = handle.db;
    const c = await insertCase(db, base);
    const pia = await insertUser(db, "Pia Real", { pseudonym: "Pixel Pia" });
    const quinn = await insertUser(db, "Quinn");
    const group = await insertGroup(db, "West Program", [pia.id, quinn.id]);
    await submitAnswer(db, pia, { caseId: c.id, answers: ["schwannoma"] }, at(base, -2));
    await submitAnswer(db, pia, { caseId: c.id, answers: ["EMH"] }, at(base, -1));
    await submitGroupAnswer(db, quinn, { caseId: c.id, groupId: group.id, answers: ["lymphoma"] }, at(base, 0));
    await submitGroupAnswer(db, pia, { caseId: c.id, groupId: group.id, answers: ["EMH", "lymphoma"] }, at(base, 1));

    const open = await loadSubmissionPanel(db, c, pia, at(base, 2));
    expect(open).toMatchObject({ phase: "open", acceptsMode: "competition", acceptsGroupEntries: true, refusal: null, deadlineIso: "2026-04-02T09:00:00.000Z" });
    expect(open.entry).toMatchObject({ answers: ["EMH"], verdict: null, score: null, submittedAtIso: "2026-04-01T08:00:00.000Z" });
    expect(open.entry!.history.map((h) => h.answers)).toEqual([["schwannoma"], ["EMH"]]);
    expect(open.groups).toHaveLength(1);
    expect(open.groups[0]!.entry).toMatchObject({ answers: ["EMH", "lymphoma"], lastEditedByName: "Pixel Pia", verdict: null });
    expect(open.groups[0]!.entry!.history.map((h) => h.editedByName)).toEqual(["Quinn", "Pixel Pia"]);

    const closed = await loadSubmissionPanel(db, c, pia, at(base, 30));
    expect(closed).toMatchObject({ phase: "closed", acceptsMode: null, acceptsGroupEntries: false, refusal: "The deadline passed on 2026-04-02 09:00 UTC; this case is closed." });
    expect(closed.entry!.verdict).toBeNull();

    const revealed = await loadSubmissionPanel(db, c, pia, at(base, 60));
    expect(revealed).toMatchObject({ phase: "revealed", acceptsMode: "practice", acceptsGroupEntries: false });
    expect(revealed.entry).toMatchObject({ verdict: "correct", score: 1 });
    expect(revealed.groups[0]!.entry).toMatchObject({ verdict: "correct" });

    // Another resident sees none of Pia's entry, only the group's (they are a member).
    const forQuinn = await loadSubmissionPanel(db, c, quinn, at(base, 2));
    expect(forQuinn.entry).toBeNull();
    expect(forQuinn.groups[0]!.entry!.answers).toEqual(["EMH", "lymphoma"]);
  });
});
