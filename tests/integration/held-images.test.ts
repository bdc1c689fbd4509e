import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import dicomParser from "dicom-parser";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getInstanceForServing, listCaseSeries } from "@/db/queries/cases";
import { getCaseForEditing } from "@/db/queries/case-editing";
import { countHeldImages, listHeldImages } from "@/db/queries/held-images";
import { insertUser } from "@/db/queries/users";
import { getMeasurements, saveMeasurements } from "@/db/queries/viewer-state";
import { auditLog, instances, keyImages, series } from "@/db/schema";
import { blankCaseImage, releaseCaseImage, removeCaseImage } from "@/lib/cases/held-images";
import { saveKeyImage } from "@/lib/cases/key-images";
import { prepareCaseExport } from "@/lib/cases/export-bundle";
import { createCase, documentOf, saveCase, setSchedule, type CaseDocument, type Editor } from "@/lib/cases/editor";
import { CLEAN_PIXEL_CODE } from "@/lib/dicom/blank-regions";
import { LocalFolderStorage } from "@/lib/storage";
import { commitUpload, getCaseImageUids } from "@/lib/uploads/commit";
import { processUpload } from "@/lib/uploads/process";
import { ctSeries, listFiles, makeRoot, stageFiles, testSalt } from "../unit/uploads/upload-support";
import { createTestDatabase, testEngine } from "../support/test-db";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/dicom/burned-in/${name}`, import.meta.url)));

let handle: DatabaseHandle;
let work: string;
let root: string;
let storageDir: string;
let storage: LocalFolderStorage;
let author: Editor;
let stranger: Editor;

beforeAll(async () => {
  handle = await createTestDatabase();
  work = await makeRoot("casebook-held-int-");
  root = path.join(work, "uploads");
  storageDir = path.join(work, "storage");
  storage = new LocalFolderStorage(storageDir);
  const tag = Math.random().toString(36).slice(2, 8);
  const a = await insertUser(handle.db, { email: `held-author-${tag}@example.org`, name: "Author", role: "educator", passwordHash: null });
  const s = await insertUser(handle.db, { email: `held-other-${tag}@example.org`, name: "Other", role: "educator", passwordHash: null });
  author = { id: a!.id, role: "educator" };
  stranger = { id: s!.id, role: "educator" };
});
afterAll(async () => {
  await handle?.close();
  await fsp.rm(work, { recursive: true, force: true });
});

/** A complete draft case owned by the author, with these files uploaded and committed. */
async function caseWithUpload(files: [string, Uint8Array][]) {
  const created = await createCase(handle.db, author, { title: `Held test ${Math.random().toString(36).slice(2, 8)}` });
  if (!created.ok) throw new Error("createCase failed");
  const caseId = created.id;
  const loaded = await getCaseForEditing(handle.db, caseId);
  const doc: CaseDocument = {
    ...documentOf(loaded!),
    summary: "Neck lump",
    ageBucket: "30-39",
    sex: "F",
    history: "A painless neck lump.",
    modalities: ["US"],
    bodyRegion: "neck",
    difficulty: 2,
    findings: "A solid nodule.",
    diagnosis: "Papillary thyroid carcinoma.",
    answerKey: { diagnosis: "Papillary thyroid carcinoma", synonyms: [], partial: [], reject: [] },
  };
  const saved = await saveCase(handle.db, author, caseId, loaded!.version, doc);
  if (!saved.ok) throw new Error(`saveCase failed: ${JSON.stringify(saved)}`);
  const id = await stageFiles(root, files, { caseId, userId: author.id });
  await processUpload(root, id, { uidSalt: testSalt, existingSopInstanceUids: (await getCaseImageUids(handle.db, caseId)).sopInstanceUids });
  await commitUpload(handle.db, storage, root, id, { actorId: author.id });
  return caseId;
}

/** Uploads more files to an existing case and processes them; the per-file results, nothing committed. */
async function processMore(caseId: string, files: [string, Uint8Array][]) {
  const id = await stageFiles(root, files, { caseId, userId: author.id });
  const manifest = await processUpload(root, id, { uidSalt: testSalt, existingSopInstanceUids: (await getCaseImageUids(handle.db, caseId)).sopInstanceUids });
  return manifest.files;
}

function dciodvfyErrors(bytes: Uint8Array): string[] {
  const file = path.join(work, `dciodvfy-${Math.random().toString(36).slice(2, 8)}.dcm`);
  writeFileSync(file, bytes);
  const run = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  return `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => line.startsWith("Error"));
}

async function publish(caseId: string) {
  const loaded = await getCaseForEditing(handle.db, caseId);
  return setSchedule(handle.db, author, caseId, loaded!.version, { status: "published", opensAt: new Date(Date.now() + 3_600_000).toISOString(), closesAt: "", revealsAt: "" });
}

/** The bytes the image routes serve for an instance (GET /api/dicom/:id streams exactly this blob). */
async function served(instanceId: string) {
  const row = await getInstanceForServing(handle.db, instanceId);
  const bytes = await storage.read(row!.storageKey);
  return { row: row!, bytes: new Uint8Array(bytes!) };
}

describe(`held images on ${testEngine}`, () => {
  it("an upload with a burned-in file blocks publishing; blanking releases it and the served DICOM is blanked", async () => {
    const caseId = await caseWithUpload([["us-screenshot.dcm", fixture("sc-us-rgb.dcm")], ...ctSeries({ series: 3, count: 2 })]);
    const held = await listHeldImages(handle.db, caseId);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ columns: 70, rows: 46, frames: 1, modality: "US" });
    expect(held[0]!.reason).toMatch(/BurnedInAnnotation is YES/u);

    // Residents' pages list only the CT; the case editor lists the held capture too.
    expect((await listCaseSeries(handle.db, caseId)).map((s) => [s.modality, s.instances.length])).toEqual([["CT", 2]]);
    expect((await listCaseSeries(handle.db, caseId, { includeHeld: true })).map((s) => s.modality).sort()).toEqual(["CT", "US"]);
    // Nor may it leave in a bundle.
    await expect(prepareCaseExport(handle.db, storage, caseId, author)).rejects.toThrow(/1 image is held for review/u);
    const blocked = await publish(caseId);
    expect(blocked).toMatchObject({ ok: false, reason: "invalid" });
    expect(blocked.ok ? [] : "fieldErrors" in blocked ? blocked.fieldErrors.status : []).toEqual(["1 image is held for review (possible burned-in text): blank or remove it before publishing"]);

    const before = await served(held[0]!.id);
    const rects = [{ x: 0, y: 0, width: 70, height: 8 }];
    // Only editors of the case may blank, and rectangles are checked against the image.
    expect(await blankCaseImage(handle.db, storage, stranger, caseId, held[0]!.id, rects)).toEqual({ ok: false, reason: "forbidden" });
    const outside = await blankCaseImage(handle.db, storage, author, caseId, held[0]!.id, [{ x: 60, y: 0, width: 20, height: 8 }]);
    expect(outside).toMatchObject({ ok: false, reason: "invalid", fieldErrors: { "rectangles.0.width": ["Ends right of the image (70 columns)"] } });
    expect(await countHeldImages(handle.db, caseId)).toBe(1);

    const forgotten: string[] = [];
    const done = await blankCaseImage(handle.db, storage, author, caseId, held[0]!.id, rects, async (sha) => void forgotten.push(sha));
    expect(done).toMatchObject({ ok: true });
    expect(forgotten).toEqual([before.row.sha256]);
    expect(await countHeldImages(handle.db, caseId)).toBe(0);

    const after = await served(held[0]!.id);
    expect(after.row.storageKey).not.toBe(before.row.storageKey);
    expect(after.row.burnedInHold).toBeNull();
    // The blob with the text is gone from storage.
    expect(await storage.exists(before.row.storageKey)).toBe(false);
    expect(await listFiles(storageDir)).not.toContain(path.basename(before.row.storageKey));

    const ds = dicomParser.parseDicom(after.bytes);
    expect(ds.string("x00280301")).toBe("NO");
    expect(ds.elements.x00120064?.items?.map((i) => i.dataSet?.string("x00080100"))).toContain(CLEAN_PIXEL_CODE.value);
    const px = ds.elements.x7fe00010!;
    const old = dicomParser.parseDicom(before.bytes).elements.x7fe00010!;
    let insideNonZero = 0;
    let outsideChanged = 0;
    let insideBefore = 0;
    for (let y = 0; y < 46; y++)
      for (let x = 0; x < 70; x++)
        for (let s = 0; s < 3; s++) {
          const i = (y * 70 + x) * 3 + s;
          const now = after.bytes[px.dataOffset + i]!;
          const was = before.bytes[old.dataOffset + i]!;
          if (y < 8) {
            if (now !== 0) insideNonZero += 1;
            if (was !== 0) insideBefore += 1;
          } else if (now !== was) outsideChanged += 1;
        }
    expect(insideBefore).toBeGreaterThan(0);
    expect(insideNonZero).toBe(0);
    expect(outsideChanged).toBe(0);

    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.action, "case.image.blank")));
    expect(entry).toMatchObject({ actorId: author.id, detail: { instanceId: held[0]!.id, rectangles: rects, frames: 1, pixelsPerFrame: 560, from: before.row.sha256, to: after.row.sha256 } });

    expect(await publish(caseId)).toMatchObject({ ok: true });
    expect((await listCaseSeries(handle.db, caseId)).map((s) => s.modality).sort()).toEqual(["CT", "US"]);
  });

  it("a blanked image is a new instance: new SOPInstanceUID in the file and the row, references still resolve, duplicates still caught", async () => {
    const original = fixture("sc-us-rgb.dcm");
    const caseId = await caseWithUpload([["us-screenshot.dcm", original], ...ctSeries({ series: 4, count: 2 })]);
    const [held] = await listHeldImages(handle.db, caseId);
    const before = await served(held!.id);
    const oldUid = held!.sopInstanceUid;
    expect(dicomParser.parseDicom(before.bytes).string("x00080018")).toBe(oldUid);
    // The educator measured on the held image before blanking it: measurements name the row.
    const measurement = { id: "m1", type: "length" as const, seriesId: held!.seriesId, instanceId: held!.id, frame: 0, points: [[1, 1], [20, 20]] as [[number, number], [number, number]] };
    await saveMeasurements(handle.db, author.id, caseId, [measurement]);

    expect(await blankCaseImage(handle.db, storage, author, caseId, held!.id, [{ x: 0, y: 0, width: 70, height: 8 }])).toMatchObject({ ok: true });
    const after = await served(held!.id);
    const header = dicomParser.parseDicom(after.bytes);
    const [row] = await handle.db.select().from(instances).where(eq(instances.id, held!.id));
    const newUid = row!.sopInstanceUid;
    expect(newUid).not.toBe(oldUid);
    expect(newUid).toMatch(/^2\.25\.\d+$/u);
    // The stored file's header and the database agree.
    expect(header.string("x00080018")).toBe(newUid);
    expect(header.string("x00020003")).toBe(newUid);
    expect(header.string("x00080008")?.split("\\")[0]).toBe("DERIVED");
    expect(header.elements.x00082112?.items?.[0]?.dataSet?.string("x00081155")).toBe(oldUid);
    expect(dciodvfyErrors(after.bytes)).toEqual([]);
    expect(row).toMatchObject({ sopInstanceUid: newUid, sourceSopInstanceUid: oldUid });
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.action, "case.image.blank")));
    expect(entry!.detail).toMatchObject({ instanceId: held!.id, sopInstanceUid: { from: oldUid, to: newUid } });

    // References go by the row: the measurement, a key image and the export all reach the blanked file.
    expect(await getMeasurements(handle.db, author.id, caseId)).toEqual([measurement]);
    expect(await saveKeyImage(handle.db, author, caseId, { instanceId: held!.id, caption: "Nodule", annotations: [{ type: "text", at: [10, 10], text: "here" }] })).toMatchObject({ ok: true });
    const keyed = await handle.db.select({ uid: instances.sopInstanceUid, key: instances.storageKey }).from(keyImages).innerJoin(instances, eq(keyImages.instanceId, instances.id)).where(eq(keyImages.caseId, caseId));
    expect(keyed).toEqual([{ uid: newUid, key: after.row.storageKey }]);
    // (The capture has no InstanceNumber, which a bundle's key image needs: export the images without it.)
    await handle.db.delete(keyImages).where(eq(keyImages.caseId, caseId));
    const exported = await prepareCaseExport(handle.db, storage, caseId, author);
    expect(exported.dicom.map((d) => d.storageKey)).toContain(after.row.storageKey);
    expect(exported.dicom.map((d) => d.storageKey)).not.toContain(before.row.storageKey);

    // Uploading the original again is still a duplicate (its UID is the blanked image's source), not a new held image.
    const again = await processMore(caseId, [["us-screenshot-again.dcm", original]]);
    expect(again.map((f) => [f.status, f.reason])).toEqual([["duplicate", "this image is already in the case"]]);
  });

  it("removing or releasing a held image also lets the case be published, and each is audited", async () => {
    const caseId = await caseWithUpload([
      ["mf.dcm", fixture("mf-8u.dcm")],
      ["planar.dcm", fixture("sc-us-rgb-planar.dcm")],
    ]);
    const held = await listHeldImages(handle.db, caseId);
    expect(held.map((h) => h.frames).sort((a, b) => a - b)).toEqual([1, 16]);
    const mf = held.find((h) => h.frames === 16)!;
    const sc = held.find((h) => h.frames === 1)!;
    const mfKey = (await served(mf.id)).row.storageKey;

    expect(await removeCaseImage(handle.db, storage, author, caseId, mf.id)).toMatchObject({ ok: true });
    expect(await storage.exists(mfKey)).toBe(false);
    expect(await handle.db.select().from(instances).where(eq(instances.id, mf.id))).toEqual([]);
    // Its series held only that image, so the series went too.
    expect(await handle.db.select().from(series).where(eq(series.id, mf.seriesId))).toEqual([]);
    expect(await publish(caseId)).toMatchObject({ ok: false, reason: "invalid" });

    expect(await releaseCaseImage(handle.db, author, caseId, sc.id)).toMatchObject({ ok: true });
    expect(await releaseCaseImage(handle.db, author, caseId, sc.id)).toMatchObject({ ok: false, reason: "invalid" });
    expect(await publish(caseId)).toMatchObject({ ok: true });
    const actions = (await handle.db.select().from(auditLog).where(eq(auditLog.entityId, caseId)).orderBy(asc(auditLog.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["case.upload", "case.image.remove", "case.image.release", "case.schedule"]));
  });
});
