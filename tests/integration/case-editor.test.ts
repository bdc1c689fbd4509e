import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { getCaseForEditing, listCasesForDashboard } from "@/db/queries/case-editing";
import { insertUser } from "@/db/queries/users";
import { answerKeys, auditLog, caseContent, cases, collectionCases, collections, type Role } from "@/db/schema";
import {
  addCoAuthor,
  createCase,
  deleteDraft,
  documentOf,
  removeCoAuthor,
  saveCase,
  setManualMoment,
  setSchedule,
  type CaseDocument,
  type Editor,
} from "@/lib/cases/editor";
import { getPhase } from "@/lib/cases/lifecycle";
import { getCaseAccess } from "@/lib/cases/visibility";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
const people: Record<"author" | "coAuthor" | "other" | "admin" | "resident", Editor & { email: string }> = {} as never;
let collectionId: string;

async function makeUser(key: keyof typeof people, role: Role) {
  const email = `${key}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await insertUser(handle.db, { email, name: key, role, passwordHash: null });
  people[key] = { id: user!.id, role, email };
}

async function load(caseId: string) {
  const loaded = await getCaseForEditing(handle.db, caseId);
  return { doc: documentOf(loaded!), version: loaded!.version, row: loaded!.case };
}

/** A complete, publishable document for the case being edited. */
function completeDoc(doc: CaseDocument): CaseDocument {
  return {
    ...doc,
    summary: "Back pain in a young adult",
    ageBucket: "30-39",
    sex: "F",
    history: "Known **thalassemia intermedia**. Back pain for three months.",
    tags: ["paraspinal", "thalassemia"],
    modalities: ["ct", "MR"],
    bodyRegion: "thoracic-spine",
    difficulty: 2,
    findings: "Bilateral paravertebral masses.",
    diagnosis: "Extramedullary hematopoiesis.",
    differential: [{ diagnosis: "Schwannoma", whyLessLikely: "Usually single." }, { diagnosis: "  ", whyLessLikely: "" }],
    learningPoints: ["Think of EMH in thalassemia.", ""],
    references: ["Tsitouridis J, et al. Eur J Radiol. 1999."],
    answerKey: { diagnosis: "Paraspinal extramedullary hematopoiesis", synonyms: ["EMH"], partial: [], reject: ["extramedullary plasmacytoma"] },
  };
}

async function auditFor(caseId: string) {
  return handle.db.select().from(auditLog).where(and(eq(auditLog.entity, "case"), eq(auditLog.entityId, caseId))).orderBy(asc(auditLog.id));
}

beforeAll(async () => {
  handle = await createTestDatabase();
  await makeUser("author", "educator");
  await makeUser("coAuthor", "educator");
  await makeUser("other", "educator");
  await makeUser("admin", "admin");
  await makeUser("resident", "resident");
  const [c] = await handle.db.insert(collections).values({ slug: "editor-test", title: "Editor test" }).returning();
  collectionId = c!.id;
});
afterAll(async () => {
  await handle?.close();
});

describe(`case editor on ${testEngine}`, () => {
  let caseId: string;

  it("creates a draft with the next number, a slug from the title and an answer key naming the title", async () => {
    const first = await createCase(handle.db, people.author, { title: "Paraspinal EMH (active pattern)" });
    expect(first).toMatchObject({ ok: true, slug: "paraspinal-emh-active-pattern" });
    if (!first.ok) throw new Error("not created");
    caseId = first.id;
    const second = await createCase(handle.db, people.other, { title: "Paraspinal EMH (active pattern)" });
    expect(second).toMatchObject({ ok: true, number: first.number + 1, slug: "paraspinal-emh-active-pattern-2" });
    const { row, doc } = await load(caseId);
    expect(row).toMatchObject({ status: "draft", authorId: people.author.id });
    expect(doc.answerKey.diagnosis).toBe("Paraspinal EMH (active pattern)");
    expect((await auditFor(caseId)).map((a) => a.action)).toEqual(["case.create"]);
  });

  it("refuses creation to residents and a typed slug that is taken", async () => {
    expect(await createCase(handle.db, people.resident, { title: "Anything" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await createCase(handle.db, people.author, { title: "Anything", slug: "paraspinal-emh-active-pattern" })).toMatchObject({ reason: "invalid", fieldErrors: { slug: [expect.stringContaining("taken")] } });
    expect(await createCase(handle.db, people.author, { title: "", slug: "Bad Slug" })).toMatchObject({ reason: "invalid", fieldErrors: { title: expect.any(Array), slug: expect.any(Array) } });
  });

  it("saves every field, normalises lists and audits the names of the changed fields only", async () => {
    const { doc, version } = await load(caseId);
    const result = await saveCase(handle.db, people.author, caseId, version, { ...completeDoc(doc), collectionIds: [collectionId] });
    expect(result).toMatchObject({ ok: true, phase: "draft" });
    if (!result.ok) throw new Error("not saved");
    expect(result.version).not.toBe(version);
    const after = await load(caseId);
    expect(after.version).toBe(result.version);
    expect(after.doc).toMatchObject({ modalities: ["CT", "MR"], differential: [{ diagnosis: "Schwannoma", whyLessLikely: "Usually single." }], learningPoints: ["Think of EMH in thalassemia."], collectionIds: [collectionId] });
    const [key] = await handle.db.select().from(answerKeys).where(eq(answerKeys.caseId, caseId));
    expect(key).toMatchObject({ diagnosis: "Paraspinal extramedullary hematopoiesis", synonyms: ["EMH"], reject: ["extramedullary plasmacytoma"] });
    const [member] = await handle.db.select().from(collectionCases).where(eq(collectionCases.caseId, caseId));
    expect(member?.collectionId).toBe(collectionId);

    const update = (await auditFor(caseId)).at(-1)!;
    expect(update.action).toBe("case.update");
    expect(update.actorId).toBe(people.author.id);
    const fields = (update.detail as { fields: string[] }).fields;
    expect(fields).toEqual(expect.arrayContaining(["summary", "history", "modalities", "differential", "answerKey.diagnosis", "answerKey.synonyms", "collectionIds"]));
    expect(fields).not.toContain("title");
    expect(fields).not.toContain("answerKey.partial");
    // The diff names fields; it never copies hidden text into the log.
    expect(JSON.stringify(update.detail)).not.toContain("hematopoiesis");

    const again = await saveCase(handle.db, people.author, caseId, after.version, after.doc);
    expect(again).toMatchObject({ ok: true, changed: [], version: after.version });
    expect((await auditFor(caseId)).length).toBe(2);
  });

  it("answers validation errors with the names of the fields", async () => {
    const { doc, version } = await load(caseId);
    const result = await saveCase(handle.db, people.author, caseId, version, {
      ...doc,
      title: " ",
      slug: "Not A Slug",
      summary: "x".repeat(161),
      difficulty: 7,
      sex: "X",
      differential: [{ diagnosis: "", whyLessLikely: "reason without a name" }],
      answerKey: { ...doc.answerKey, diagnosis: "" },
    });
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== "invalid") throw new Error("expected invalid");
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["answerKey.diagnosis", "differential.0.diagnosis", "difficulty", "sex", "slug", "summary", "title"]);
    expect((await load(caseId)).version).toBe(version);
  });

  it("refuses a slug another case uses", async () => {
    const { doc, version } = await load(caseId);
    const result = await saveCase(handle.db, people.author, caseId, version, { ...doc, slug: "paraspinal-emh-active-pattern-2" });
    expect(result).toMatchObject({ reason: "invalid", fieldErrors: { slug: [expect.stringContaining("taken")] } });
  });

  it("lets the author, a co-author and an admin edit; another educator and a resident get forbidden", async () => {
    const { doc, version } = await load(caseId);
    expect(await saveCase(handle.db, people.other, caseId, version, { ...doc, summary: "other" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await saveCase(handle.db, people.resident, caseId, version, { ...doc, summary: "resident" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await saveCase(handle.db, people.coAuthor, caseId, version, { ...doc, summary: "co" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await addCoAuthor(handle.db, people.other, caseId, { email: people.coAuthor.email })).toEqual({ ok: false, reason: "forbidden" });
    expect(await setSchedule(handle.db, people.resident, caseId, version, { status: "draft", opensAt: "", closesAt: "", revealsAt: "" })).toEqual({ ok: false, reason: "forbidden" });

    const shared = await addCoAuthor(handle.db, people.author, caseId, { email: people.coAuthor.email.toUpperCase() });
    expect(shared).toMatchObject({ ok: true, coAuthors: [{ id: people.coAuthor.id }] });
    expect(await addCoAuthor(handle.db, people.author, caseId, { email: people.resident.email })).toMatchObject({ reason: "invalid", fieldErrors: { email: ["Residents cannot co-author cases"] } });
    expect(await addCoAuthor(handle.db, people.author, caseId, { email: "nobody@example.org" })).toMatchObject({ reason: "invalid", fieldErrors: { email: ["No account has this email"] } });

    const byCo = await saveCase(handle.db, people.coAuthor, caseId, version, { ...doc, summary: "Edited by the co-author" });
    expect(byCo).toMatchObject({ ok: true, changed: ["summary"] });
    const byAdmin = await saveCase(handle.db, people.admin, caseId, (byCo as { version: string }).version, { ...doc, summary: "Edited by the admin" });
    expect(byAdmin).toMatchObject({ ok: true, changed: ["summary"] });
    expect((await auditFor(caseId)).filter((a) => a.action === "case.update").map((a) => a.actorId).slice(-2)).toEqual([people.coAuthor.id, people.admin.id]);

    expect(await removeCoAuthor(handle.db, people.author, caseId, people.coAuthor.id)).toMatchObject({ ok: true, coAuthors: [] });
    const current = await load(caseId);
    expect(await saveCase(handle.db, people.coAuthor, caseId, current.version, { ...current.doc, summary: "no longer" })).toEqual({ ok: false, reason: "forbidden" });
    expect((await auditFor(caseId)).map((a) => a.action)).toEqual(expect.arrayContaining(["case.co-author.add", "case.co-author.remove"]));
  });

  it("lists cases for the dashboard with titles and co-author ids, so a co-author's row is editable", async () => {
    await addCoAuthor(handle.db, people.author, caseId, { email: people.coAuthor.email });
    const rows = await listCasesForDashboard(handle.db);
    const row = rows.find((r) => r.id === caseId)!;
    expect(row).toMatchObject({ title: "Paraspinal EMH (active pattern)", authorName: "author", coAuthorIds: [people.coAuthor.id] });
    expect(rows.map((r) => r.number)).toEqual([...rows.map((r) => r.number)].sort((a, b) => b - a));
    const now = new Date();
    expect(getCaseAccess(row, people.coAuthor, now, row.coAuthorIds).canEdit).toBe(true);
    expect(getCaseAccess(row, people.other, now, row.coAuthorIds).canEdit).toBe(false);
    expect(rows.find((r) => r.id !== caseId)!.coAuthorIds).toEqual([]);
    await removeCoAuthor(handle.db, people.author, caseId, people.coAuthor.id);
  });

  it("detects a conflict: the second of two editors working from the same version is refused, nothing is overwritten", async () => {
    const base = await load(caseId);
    const first = await saveCase(handle.db, people.author, caseId, base.version, { ...base.doc, findings: "Findings by the author" });
    expect(first.ok).toBe(true);
    const second = await saveCase(handle.db, people.admin, caseId, base.version, { ...base.doc, discussion: "Discussion by the admin" });
    expect(second).toMatchObject({ ok: false, reason: "conflict", version: (first as { version: string }).version });
    const [content] = await handle.db.select().from(caseContent).where(eq(caseContent.caseId, caseId));
    expect(content).toMatchObject({ findings: "Findings by the author" });
    expect(content!.discussion).not.toBe("Discussion by the admin");
    // With the current version, the same save goes through.
    const retried = await saveCase(handle.db, people.admin, caseId, (second as { version: string }).version, { ...base.doc, findings: "Findings by the author", discussion: "Discussion by the admin" });
    expect(retried).toMatchObject({ ok: true, changed: ["discussion"] });
  });

  it("validates the schedule order and refuses publishing an incomplete case", async () => {
    const { version } = await load(caseId);
    const t = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const bad = await setSchedule(handle.db, people.author, caseId, version, { status: "draft", opensAt: t(10), closesAt: t(5), revealsAt: t(1) });
    expect(bad).toMatchObject({ reason: "invalid", fieldErrors: { closesAt: ["Closes must be after opens"], revealsAt: ["Reveals must not be before closes"] } });

    const incomplete = await createCase(handle.db, people.author, { title: "Incomplete case" });
    if (!incomplete.ok) throw new Error("not created");
    const inc = await load(incomplete.id);
    const refused = await setSchedule(handle.db, people.author, incomplete.id, inc.version, { status: "published", opensAt: t(-1), closesAt: t(1), revealsAt: t(2) });
    expect(refused).toMatchObject({ reason: "invalid", fieldErrors: { status: expect.any(Array), history: expect.any(Array), modalities: expect.any(Array), difficulty: expect.any(Array) } });
    expect((await load(incomplete.id)).row.status).toBe("draft");
  });

  it("publishes on a schedule stored as UTC, then manual close and manual reveal move the phase", async () => {
    const { version } = await load(caseId);
    const opens = new Date(Date.now() - 3_600_000);
    const closes = new Date(Date.now() + 48 * 3_600_000);
    const reveals = new Date(Date.now() + 72 * 3_600_000);
    const scheduled = await setSchedule(handle.db, people.author, caseId, version, { status: "published", opensAt: opens.toISOString().replace("Z", "+00:00"), closesAt: closes.toISOString(), revealsAt: reveals.toISOString() });
    expect(scheduled).toMatchObject({ ok: true, phase: "open" });
    let { row } = await load(caseId);
    expect(row.opensAt?.toISOString()).toBe(opens.toISOString());
    expect(getPhase(row, new Date())).toBe("open");
    const scheduleAudit = (await auditFor(caseId)).at(-1)!;
    expect(scheduleAudit).toMatchObject({ action: "case.schedule", detail: { fields: ["status", "opensAt", "closesAt", "revealsAt"], status: { from: "draft", to: "published" } } });

    // A published case may not lose what residents already see.
    const current = await load(caseId);
    expect(await saveCase(handle.db, people.author, caseId, current.version, { ...current.doc, history: "" })).toMatchObject({ reason: "invalid", fieldErrors: { history: expect.any(Array) } });

    const closed = await setManualMoment(handle.db, people.coAuthor, caseId, current.version, "close");
    expect(closed).toEqual({ ok: false, reason: "forbidden" });
    const closedNow = await setManualMoment(handle.db, people.author, caseId, current.version, "close");
    expect(closedNow).toMatchObject({ ok: true, phase: "closed" });
    ({ row } = await load(caseId));
    expect(row.closedAt).not.toBeNull();
    expect(getPhase(row, new Date())).toBe("closed");

    const stale = await setManualMoment(handle.db, people.author, caseId, current.version, "reveal");
    expect(stale).toMatchObject({ reason: "conflict" });
    const revealed = await setManualMoment(handle.db, people.admin, caseId, (closedNow as { version: string }).version, "reveal");
    expect(revealed).toMatchObject({ ok: true, phase: "revealed" });
    ({ row } = await load(caseId));
    expect(getPhase(row, new Date())).toBe("revealed");
    const actions = (await auditFor(caseId)).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(["case.close", "case.reveal"]);

    const undone = await setManualMoment(handle.db, people.author, caseId, (revealed as { version: string }).version, "reveal", true);
    expect(undone).toMatchObject({ ok: true, phase: "closed" });
  });

  it("deletes drafts only, and audits it", async () => {
    const { row } = await load(caseId);
    expect(row.status).toBe("published");
    expect(await deleteDraft(handle.db, people.author, caseId)).toMatchObject({ reason: "invalid" });
    const draft = await createCase(handle.db, people.author, { title: "To be deleted" });
    if (!draft.ok) throw new Error("not created");
    expect(await deleteDraft(handle.db, people.other, draft.id)).toEqual({ ok: false, reason: "forbidden" });
    expect(await deleteDraft(handle.db, people.author, draft.id)).toEqual({ ok: true });
    expect(await handle.db.select().from(cases).where(eq(cases.id, draft.id))).toEqual([]);
    expect((await auditFor(draft.id)).map((a) => a.action)).toEqual(["case.create", "case.delete"]);
  });
});
