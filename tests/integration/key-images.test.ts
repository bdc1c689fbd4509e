import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { listKeyImages } from "@/db/queries/cases";
import { insertUser } from "@/db/queries/users";
import { auditLog, caseAuthors, instances, keyImages, series, studies, type Role } from "@/db/schema";
import { createCase, type Editor } from "@/lib/cases/editor";
import { removeKeyImage, reorderKeyImages, saveKeyImage } from "@/lib/cases/key-images";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
const people = {} as Record<"author" | "coAuthor" | "other" | "admin" | "resident", Editor>;

async function makeUser(key: keyof typeof people, role: Role) {
  const user = await insertUser(handle.db, { email: `${key}-${Math.random().toString(36).slice(2, 8)}@example.org`, name: key, role, passwordHash: null });
  people[key] = { id: user!.id, role };
}

/** A draft case of `author` with one series of `n` instances (rows only: key images never read the pixels). */
async function caseWithImages(n: number): Promise<{ caseId: string; instanceIds: string[] }> {
  const created = await createCase(handle.db, people.author, { title: `Key image case ${Math.random().toString(36).slice(2, 8)}` });
  if (!created.ok) throw new Error("case not created");
  const caseId = created.id;
  const [study] = await handle.db.insert(studies).values({ caseId, studyInstanceUid: `2.25.${Date.now()}${Math.floor(Math.random() * 1e6)}` }).returning();
  const [s] = await handle.db.insert(series).values({ caseId, studyId: study!.id, seriesInstanceUid: `2.25.${Date.now()}1`, modality: "CT", instanceCount: n }).returning();
  const rows = await handle.db
    .insert(instances)
    .values(Array.from({ length: n }, (_, i) => ({ seriesId: s!.id, sopInstanceUid: `2.25.${Date.now()}${i}`, sopClassUid: "1.2.840.10008.5.1.4.1.1.2", storageKey: `k/${i}`, sha256: "0".repeat(64), byteSize: 1, sortIndex: i, rows: 64, columns: 64, transferSyntaxUid: "1.2.840.10008.1.2.1" })))
    .returning({ id: instances.id });
  return { caseId, instanceIds: rows.map((r) => r.id) };
}

const auditOf = (caseId: string) =>
  handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.entity, "case"))).orderBy(asc(auditLog.id));

beforeAll(async () => {
  handle = await createTestDatabase();
  await makeUser("author", "educator");
  await makeUser("coAuthor", "educator");
  await makeUser("other", "educator");
  await makeUser("admin", "admin");
  await makeUser("resident", "resident");
});
afterAll(async () => {
  await handle?.close();
});

describe(`key images and annotations on ${testEngine}`, () => {
  it("an author marks a key image with an arrow, an ellipse and a label, edits it and unmarks it; each change is audited without its text", async () => {
    const { caseId, instanceIds } = await caseWithImages(3);
    const annotations = [
      { type: "arrow", from: [10, 10], to: [30, 32], text: "Secret lesion" },
      { type: "ellipse", center: [32, 32], radius: [6, 4] },
      { type: "text", at: [5, 60], text: "Label" },
    ];
    const saved = await saveKeyImage(handle.db, people.author, caseId, { instanceId: instanceIds[1], caption: "Axial, the mass", annotations });
    expect(saved).toMatchObject({ ok: true, instanceId: instanceIds[1], caption: "Axial, the mass", annotations });
    const listed = await listKeyImages(handle.db, caseId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ instanceId: instanceIds[1], caption: "Axial, the mass", annotations });

    // Saving the same image again edits it in place; a second image comes after it.
    await saveKeyImage(handle.db, people.author, caseId, { instanceId: instanceIds[1], caption: "", annotations: annotations.slice(1) });
    await saveKeyImage(handle.db, people.author, caseId, { instanceId: instanceIds[0], annotations: [] });
    const after = await listKeyImages(handle.db, caseId);
    expect(after.map((k) => [k.instanceId, k.annotations.length, k.caption])).toEqual([
      [instanceIds[1], 2, ""],
      [instanceIds[0], 0, ""],
    ]);

    expect(await removeKeyImage(handle.db, people.author, caseId, instanceIds[1])).toEqual({ ok: true, removed: true });
    expect(await removeKeyImage(handle.db, people.author, caseId, instanceIds[1])).toEqual({ ok: true, removed: false });
    expect((await listKeyImages(handle.db, caseId)).map((k) => k.instanceId)).toEqual([instanceIds[0]]);

    const audit = (await auditOf(caseId)).filter((a) => a.action.startsWith("case.key-image"));
    expect(audit.map((a) => a.action)).toEqual(["case.key-image.add", "case.key-image.update", "case.key-image.add", "case.key-image.remove"]);
    expect(audit[0]!.actorId).toBe(people.author.id);
    expect(audit[0]!.detail).toMatchObject({ instanceId: instanceIds[1], annotations: 3, kinds: { arrow: 1, ellipse: 1, text: 1 }, captioned: true });
    expect(JSON.stringify(audit)).not.toContain("Secret lesion");
    expect(JSON.stringify(audit)).not.toContain("the mass");
  });

  it("co-authors and admins may change key images; other educators and residents may not, and nothing is written", async () => {
    const { caseId, instanceIds } = await caseWithImages(2);
    const one = { instanceId: instanceIds[0], annotations: [{ type: "text", at: [1, 1], text: "x" }] };
    expect(await saveKeyImage(handle.db, people.other, caseId, one)).toEqual({ ok: false, reason: "forbidden" });
    expect(await saveKeyImage(handle.db, people.resident, caseId, one)).toEqual({ ok: false, reason: "forbidden" });
    expect(await removeKeyImage(handle.db, people.resident, caseId, instanceIds[0])).toEqual({ ok: false, reason: "forbidden" });
    expect(await listKeyImages(handle.db, caseId)).toEqual([]);

    await handle.db.insert(caseAuthors).values({ caseId, userId: people.coAuthor.id });
    expect((await saveKeyImage(handle.db, people.coAuthor, caseId, one)).ok).toBe(true);
    expect((await saveKeyImage(handle.db, people.admin, caseId, { ...one, instanceId: instanceIds[1] })).ok).toBe(true);
    expect(await listKeyImages(handle.db, caseId)).toHaveLength(2);
    expect(await removeKeyImage(handle.db, people.other, caseId, instanceIds[1])).toEqual({ ok: false, reason: "forbidden" });
    expect(await listKeyImages(handle.db, caseId)).toHaveLength(2);
    expect(await saveKeyImage(handle.db, people.author, "00000000-0000-4000-8000-000000000000", one)).toEqual({ ok: false, reason: "not-found" });
  });

  it("reorders key images when the order names each of them once; a stale or foreign order changes nothing; audited", async () => {
    const { caseId, instanceIds } = await caseWithImages(3);
    for (const id of instanceIds) await saveKeyImage(handle.db, people.author, caseId, { instanceId: id, annotations: [] });
    const order = async () => (await listKeyImages(handle.db, caseId)).map((k) => k.instanceId);
    expect(await order()).toEqual(instanceIds);
    const wanted = [instanceIds[2]!, instanceIds[0]!, instanceIds[1]!];
    expect(await reorderKeyImages(handle.db, people.other, caseId, { order: wanted })).toEqual({ ok: false, reason: "forbidden" });
    expect(await reorderKeyImages(handle.db, people.author, caseId, { order: wanted })).toEqual({ ok: true, order: wanted });
    expect(await order()).toEqual(wanted);
    // A key image removed meanwhile (another tab): the old order is refused, not half-applied.
    await removeKeyImage(handle.db, people.author, caseId, instanceIds[1]);
    const stale = await reorderKeyImages(handle.db, people.author, caseId, { order: [instanceIds[1]!, instanceIds[0]!, instanceIds[2]!] });
    expect(stale).toMatchObject({ ok: false, reason: "invalid", fieldErrors: { order: ["The key images changed meanwhile: reload the page and order them again"] } });
    expect(await reorderKeyImages(handle.db, people.author, caseId, { order: [instanceIds[0]!, instanceIds[0]!] })).toMatchObject({ ok: false, fieldErrors: { order: ["Name each key image once"] } });
    expect(await order()).toEqual([instanceIds[2], instanceIds[0]]);
    const reorders = (await auditOf(caseId)).filter((a) => a.action === "case.key-image.reorder");
    expect(reorders.map((a) => a.detail)).toEqual([{ fields: ["keyImages"], from: instanceIds, to: wanted }]);
  });

  it("refuses bad input with a reason per field: an image of another case, a shape without its points, too many shapes", async () => {
    const { caseId } = await caseWithImages(1);
    const other = await caseWithImages(1);
    const foreign = await saveKeyImage(handle.db, people.author, caseId, { instanceId: other.instanceIds[0], annotations: [] });
    expect(foreign).toEqual({ ok: false, reason: "invalid", fieldErrors: { instanceId: ["This image is not part of the case"] } });
    const broken = await saveKeyImage(handle.db, people.author, caseId, { instanceId: "nope", annotations: [{ type: "arrow", from: [1, 1] }, { type: "text", at: [0, 0], text: "" }] });
    expect(broken.ok).toBe(false);
    const errors = (broken as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["annotations.0.to", "annotations.1.text", "instanceId"]);
    const many = await saveKeyImage(handle.db, people.author, caseId, { instanceId: other.instanceIds[0], annotations: Array.from({ length: 51 }, () => ({ type: "text", at: [0, 0], text: "t" })) });
    expect((many as { fieldErrors: Record<string, string[]> }).fieldErrors.annotations).toEqual(["Use at most 50 annotations per image"]);
    const nonFinite = await saveKeyImage(handle.db, people.author, caseId, { instanceId: other.instanceIds[0], annotations: [{ type: "text", at: [Infinity, 0], text: "t" }] });
    expect(nonFinite.ok).toBe(false);
    expect(await handle.db.select().from(keyImages).where(eq(keyImages.caseId, caseId))).toEqual([]);
  });
});
