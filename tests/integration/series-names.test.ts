import fsp from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { upsertAnswerKey } from "@/db/queries/case-editing";
import { listCaseSeries } from "@/db/queries/cases";
import { insertUser } from "@/db/queries/users";
import { auditLog, instances, series, studies, type Role } from "@/db/schema";
import { addCoAuthor, createCase, type Editor } from "@/lib/cases/editor";
import { saveKeyImage } from "@/lib/cases/key-images";
import { renameSeries } from "@/lib/cases/series-names";
import { LocalFolderStorage } from "@/lib/storage";
import { commitUpload, getCaseImageUids, previewCommit } from "@/lib/uploads/commit";
import { processUpload } from "@/lib/uploads/process";
import { loadUpload } from "@/lib/uploads/staging";
import { ctSeries, makeRoot, stageFiles, testSalt } from "../unit/uploads/upload-support";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
let work: string;
const people = {} as Record<"author" | "coAuthor" | "other" | "admin" | "resident", Editor & { email: string }>;

async function makeUser(key: keyof typeof people, role: Role) {
  const email = `${key}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const user = await insertUser(handle.db, { email, name: key, role, passwordHash: null });
  people[key] = { id: user!.id, role, email };
}

/** A draft of `author` whose answer is "Extramedullary hematopoiesis", with one CT series of two images. */
async function caseWithSeries(): Promise<{ caseId: string; seriesId: string; instanceIds: string[] }> {
  const created = await createCase(handle.db, people.author, { title: `Paraspinal masses ${Math.random().toString(36).slice(2, 8)}` });
  if (!created.ok) throw new Error("case not created");
  const caseId = created.id;
  await upsertAnswerKey(handle.db, caseId, { diagnosis: "Extramedullary hematopoiesis", synonyms: ["EMH"], partial: ["thalassemia"], reject: [] });
  const uid = `2.25.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const [study] = await handle.db.insert(studies).values({ caseId, studyInstanceUid: uid }).returning();
  const [s] = await handle.db.insert(series).values({ caseId, studyId: study!.id, seriesInstanceUid: `${uid}.1`, modality: "CT", instanceCount: 2 }).returning();
  const rows = await handle.db
    .insert(instances)
    .values([0, 1].map((i) => ({ seriesId: s!.id, sopInstanceUid: `${uid}.1.${i}`, sopClassUid: "1.2.840.10008.5.1.4.1.1.2", storageKey: `k/${i}`, sha256: "0".repeat(64), byteSize: 1, sortIndex: i, rows: 64, columns: 64, transferSyntaxUid: "1.2.840.10008.1.2.1" })))
    .returning({ id: instances.id });
  return { caseId, seriesId: s!.id, instanceIds: rows.map((r) => r.id) };
}

const renameAudit = (caseId: string) =>
  handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.action, "case.series.rename"))).orderBy(asc(auditLog.id));

beforeAll(async () => {
  handle = await createTestDatabase();
  work = await makeRoot("casebook-series-names-");
  for (const [key, role] of [["author", "educator"], ["coAuthor", "educator"], ["other", "educator"], ["admin", "admin"], ["resident", "resident"]] as const) await makeUser(key, role);
});
afterAll(async () => {
  await handle?.close();
  await fsp.rm(work, { recursive: true, force: true });
});

describe(`series names on ${testEngine}`, () => {
  it("the author, a co-author and an admin rename a series; the case page data serves the new name and each change is audited", async () => {
    const { caseId, seriesId } = await caseWithSeries();
    expect(await renameSeries(handle.db, people.author, caseId, { seriesId, description: "  CT SOFT TISSUE  " })).toEqual({ ok: true, seriesId, description: "CT SOFT TISSUE" });
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.description)).toEqual(["CT SOFT TISSUE"]);

    expect((await addCoAuthor(handle.db, people.author, caseId, { email: people.coAuthor.email })).ok).toBe(true);
    expect(await renameSeries(handle.db, people.coAuthor, caseId, { seriesId, description: "CT AX BONE" })).toMatchObject({ ok: true });
    expect(await renameSeries(handle.db, people.admin, caseId, { seriesId, description: "CT AX ST" })).toMatchObject({ ok: true });
    // Saving the same name again changes nothing and writes no audit entry.
    expect(await renameSeries(handle.db, people.admin, caseId, { seriesId, description: "CT AX ST" })).toMatchObject({ ok: true });
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.description)).toEqual(["CT AX ST"]);

    const audit = await renameAudit(caseId);
    expect(audit.map((a) => [a.actorId, a.detail])).toEqual([
      [people.author.id, { fields: ["series.description"], seriesId, from: "", to: "CT SOFT TISSUE" }],
      [people.coAuthor.id, { fields: ["series.description"], seriesId, from: "CT SOFT TISSUE", to: "CT AX BONE" }],
      [people.admin.id, { fields: ["series.description"], seriesId, from: "CT AX BONE", to: "CT AX ST" }],
    ]);
  });

  it("another educator and a resident are refused, and nothing changes", async () => {
    const { caseId, seriesId } = await caseWithSeries();
    expect(await renameSeries(handle.db, people.other, caseId, { seriesId, description: "CT AX" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await renameSeries(handle.db, people.resident, caseId, { seriesId, description: "CT AX" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await renameSeries(handle.db, people.author, "00000000-0000-4000-8000-000000000000", { seriesId, description: "CT AX" })).toEqual({ ok: false, reason: "not-found" });
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.description)).toEqual([""]);
    expect(await renameAudit(caseId)).toEqual([]);
  });

  it("a name with words of the answer key, a bad character, too many characters or another case's series is refused with a reason", async () => {
    const { caseId, seriesId } = await caseWithSeries();
    const other = await caseWithSeries();
    const refused = async (input: unknown) => {
      const result = await renameSeries(handle.db, people.author, caseId, input);
      if (result.ok || result.reason !== "invalid") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
      return result.fieldErrors;
    };
    expect((await refused({ seriesId, description: "AX T2 extramedullary HEMATOPOIESIS" })).description?.[0]).toMatch(/gives the answer away \("Extramedullary hematopoiesis"\)/);
    expect((await refused({ seriesId, description: "COR EMH" })).description?.[0]).toMatch(/gives the answer away \("EMH"\)/);
    expect((await refused({ seriesId, description: "Thalassemia workup" })).description?.[0]).toMatch(/"thalassemia"/);
    expect((await refused({ seriesId, description: "AX\\T2" })).description?.[0]).toMatch(/no backslash/);
    expect((await refused({ seriesId, description: "x".repeat(65) })).description?.[0]).toMatch(/at most 64/);
    expect((await refused({ seriesId, description: "   " })).description?.[0]).toMatch(/Enter a description/);
    expect((await refused({ seriesId: other.seriesId, description: "CT AX" })).seriesId?.[0]).toMatch(/not part of the case/);
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.description)).toEqual([""]);
    expect((await listCaseSeries(handle.db, other.caseId)).map((s) => s.description)).toEqual([""]);
    expect(await renameAudit(caseId)).toEqual([]);
  });

  it("an upload suggests CT AX, refuses a leaking name without writing anything, then commits the educator's names", async () => {
    const { caseId } = await caseWithSeries();
    const root = path.join(work, `uploads-${testEngine}`);
    const storage = new LocalFolderStorage(path.join(work, `storage-${testEngine}`));
    const id = await stageFiles(root, [...ctSeries({ series: 1, count: 3, description: "EMH paraspinal" }), ...ctSeries({ series: 2, count: 2 })], { caseId, userId: people.author.id });
    await processUpload(root, id, { uidSalt: testSalt, existingSopInstanceUids: (await getCaseImageUids(handle.db, caseId)).sopInstanceUids });
    const groups = await previewCommit(handle.db, (await loadUpload(root, id)).files, caseId);
    const found = groups.flatMap((g) => g.series);
    // De-identification removed the originals (one named the answer); the suggestion comes from modality and plane.
    expect(found.map((s) => [s.seriesNumber, s.description, s.suggestedDescription])).toEqual([
      [1, "", "CT AX"],
      [2, "", "CT AX"],
    ]);
    const [one, two] = found.map((s) => s.seriesInstanceUid) as [string, string];

    await expect(commitUpload(handle.db, storage, root, id, { actorId: people.author.id, seriesDescriptions: { [one]: "AX extramedullary hematopoiesis", [two]: "CT AX" } })).rejects.toThrow(/gives the answer away/);
    await expect(commitUpload(handle.db, storage, root, id, { actorId: people.author.id, seriesDescriptions: { [one]: "A\u0007B" } })).rejects.toThrow(/Series description/);
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.description)).toEqual([""]);
    expect((await loadUpload(root, id)).state).toBe("ready");

    await commitUpload(handle.db, storage, root, id, { actorId: people.author.id, seriesDescriptions: { [one]: " CT AX SOFT TISSUE ", [two]: "" } });
    // Blank names keep what de-identification left; the resident's case page data carries the educator's text.
    expect((await listCaseSeries(handle.db, caseId)).map((s) => [s.seriesNumber, s.description])).toEqual([
      [null, ""],
      [1, "CT AX SOFT TISSUE"],
      [2, ""],
    ]);
    const [upload] = await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.action, "case.upload")));
    expect(upload!.detail).toMatchObject({ named: [{ seriesInstanceUid: one, description: "CT AX SOFT TISSUE" }] });
  });

  it("a held (possible burned-in text) image cannot be marked as a key image", async () => {
    const { caseId, instanceIds } = await caseWithSeries();
    await handle.db.update(instances).set({ burnedInHold: "BurnedInAnnotation YES" }).where(eq(instances.id, instanceIds[0]!));
    const result = await saveKeyImage(handle.db, people.author, caseId, { instanceId: instanceIds[0], annotations: [] });
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(!result.ok && result.reason === "invalid" && result.fieldErrors.instanceId?.[0]).toMatch(/held for review/);
    expect(await saveKeyImage(handle.db, people.author, caseId, { instanceId: instanceIds[1], annotations: [] })).toMatchObject({ ok: true });
  });
});
