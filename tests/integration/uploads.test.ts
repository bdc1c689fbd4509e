import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { auditLog, cases, instances, series, studies, users } from "@/db/schema";
import { LocalFolderStorage } from "@/lib/storage";
import { commitUpload, getCaseImageUids, previewCommit } from "@/lib/uploads/commit";
import { processUpload } from "@/lib/uploads/process";
import { cancelUpload, loadUpload, uploadPaths } from "@/lib/uploads/staging";
import { ctSeries, listFiles, makeRoot, stageFiles, testSalt } from "../unit/uploads/upload-support";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
let work: string;
let root: string;
let storageDir: string;
let storage: LocalFolderStorage;
let userId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  work = await makeRoot("casebook-upload-int-");
  root = path.join(work, "uploads");
  storageDir = path.join(work, "storage");
  storage = new LocalFolderStorage(storageDir);
  const [u] = await handle.db.insert(users).values({ email: "edu@example.org", name: "Edu", role: "educator" }).returning({ id: users.id });
  userId = u!.id;
});
afterAll(async () => {
  await handle?.close();
  await fsp.rm(work, { recursive: true, force: true });
});

let caseNumber = 100;
async function newCase(): Promise<string> {
  caseNumber += 1;
  const [c] = await handle.db.insert(cases).values({ slug: `upload-case-${caseNumber}`, number: caseNumber, authorId: userId }).returning({ id: cases.id });
  return c!.id;
}

async function processed(caseId: string, files: [string, Uint8Array][]) {
  const id = await stageFiles(root, files, { caseId, userId });
  const existing = await getCaseImageUids(handle.db, caseId);
  await processUpload(root, id, { uidSalt: testSalt, existingSopInstanceUids: existing.sopInstanceUids });
  return id;
}

async function rowsOf(caseId: string) {
  const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]!.n);
  return {
    studies: await n(handle.db.select({ n: count() }).from(studies).where(eq(studies.caseId, caseId))),
    series: await n(handle.db.select({ n: count() }).from(series).where(eq(series.caseId, caseId))),
    instances: await n(handle.db.select({ n: count() }).from(instances).innerJoin(series, eq(instances.seriesId, series.id)).where(eq(series.caseId, caseId))),
    audit: await n(handle.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.entityId, caseId), eq(auditLog.action, "case.upload")))),
  };
}

async function zOrder(caseId: string, seriesNumber: number) {
  const [s] = await handle.db.select().from(series).where(and(eq(series.caseId, caseId), eq(series.seriesNumber, seriesNumber)));
  const rows = await handle.db.select().from(instances).where(eq(instances.seriesId, s!.id)).orderBy(asc(instances.sortIndex));
  return { series: s!, z: rows.map((r) => r.imagePosition?.[2]), sortIndex: rows.map((r) => r.sortIndex) };
}

describe(`upload commit on ${testEngine}`, () => {
  it("commits studies, series sorted by position, instances, blobs and one audit entry", async () => {
    const caseId = await newCase();
    const id = await processed(caseId, [...ctSeries({ series: 2, count: 3 }), ...ctSeries({ series: 1, count: 4 })]);
    const outcome = await commitUpload(handle.db, storage, root, id, { actorId: userId });
    expect(outcome).toEqual({ studies: 1, series: 2, instances: 7, addedToExistingSeries: 0 });
    expect(await rowsOf(caseId)).toEqual({ studies: 1, series: 2, instances: 7, audit: 1 });
    const first = await zOrder(caseId, 1);
    expect(first.z).toEqual([0, -5, -10, -15]);
    expect(first.series).toMatchObject({ position: 0, instanceCount: 4, modality: "CT" });
    expect((await zOrder(caseId, 2)).series.position).toBe(1);
    expect(await listFiles(storageDir)).toHaveLength(7);
    // The commit links the processed files into storage by the hash recorded while processing: it must be theirs.
    const stored = await handle.db.select().from(instances).innerJoin(series, eq(instances.seriesId, series.id)).where(eq(series.caseId, caseId));
    for (const { instances: row } of stored) {
      const bytes = (await storage.read(row.storageKey))!;
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(row.sha256);
      expect(row.storageKey).toContain(row.sha256);
      expect(bytes.byteLength).toBe(row.byteSize);
    }
    const manifest = await loadUpload(root, id);
    expect(manifest).toMatchObject({ state: "committed", committed: { series: 2, instances: 7 }, pendingBlobKeys: [] });
    expect(await listFiles(uploadPaths(root, id).processed)).toEqual([]);
    await expect(commitUpload(handle.db, storage, root, id, { actorId: userId })).rejects.toThrow(/already committed/);
  });

  for (const stage of ["blobs-written", "rows-written"] as const) {
    it(`leaves no rows and no new blobs when commit fails at ${stage}`, async () => {
      const caseId = await newCase();
      const blobsBefore = await listFiles(storageDir);
      const id = await processed(caseId, [...ctSeries({ series: 5, count: 3, study: "1.2.826.0.1.3680043.8.498.555" }), ...ctSeries({ series: 6, count: 2, study: "1.2.826.0.1.3680043.8.498.555" })]);
      const failpoint = (s: string) => {
        if (s === stage) throw new Error(`injected failure at ${s}`);
      };
      await expect(commitUpload(handle.db, storage, root, id, { actorId: userId, failpoint })).rejects.toThrow(/injected failure/);
      expect(await rowsOf(caseId)).toEqual({ studies: 0, series: 0, instances: 0, audit: 0 });
      expect(await listFiles(storageDir)).toEqual(blobsBefore);
      // The session is ready again and the staged bytes are still there: a retry commits everything.
      expect((await loadUpload(root, id)).state).toBe("ready");
      await commitUpload(handle.db, storage, root, id, { actorId: userId });
      expect(await rowsOf(caseId)).toEqual({ studies: 1, series: 2, instances: 5, audit: 1 });
    });
  }

  it("keeps blobs another case already references when a commit of the same bytes fails", async () => {
    const files = ctSeries({ series: 7, count: 2, study: "1.2.826.0.1.3680043.8.498.777" });
    const first = await newCase();
    await commitUpload(handle.db, storage, root, await processed(first, files), { actorId: userId });
    const blobsBefore = await listFiles(storageDir);
    const second = await newCase();
    const id = await processed(second, files);
    await expect(
      commitUpload(handle.db, storage, root, id, {
        actorId: userId,
        failpoint: () => {
          throw new Error("boom");
        },
      }),
    ).rejects.toThrow("boom");
    expect(await listFiles(storageDir)).toEqual(blobsBefore);
    expect((await rowsOf(first)).instances).toBe(2);
  });

  it("commits images with burned-in risk held for review, unless the educator acknowledged their series", async () => {
    const caseId = await newCase();
    const study = "1.2.826.0.1.3680043.8.498.888";
    const id = await processed(caseId, [...ctSeries({ series: 1, count: 2, study, extra: { BurnedInAnnotation: "YES" } }), ...ctSeries({ series: 2, count: 2, study })]);
    const groups = await previewCommit(handle.db, (await loadUpload(root, id)).files, caseId);
    const held = groups[0]!.series.find((s) => s.heldForReview)!;
    const outcome = await commitUpload(handle.db, storage, root, id, { actorId: userId });
    expect(outcome).toMatchObject({ series: 2, instances: 4 });
    const holds = async () =>
      (await handle.db.select({ uid: series.seriesInstanceUid, hold: instances.burnedInHold }).from(instances).innerJoin(series, eq(instances.seriesId, series.id)).where(eq(series.caseId, caseId)))
        .map((r) => [r.uid === held.seriesInstanceUid ? "held series" : "other series", r.hold])
        .sort();
    expect(await holds()).toEqual([
      ["held series", "BurnedInAnnotation is YES"],
      ["held series", "BurnedInAnnotation is YES"],
      ["other series", null],
      ["other series", null],
    ]);
    const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, caseId)).orderBy(asc(auditLog.id));
    expect(entry!.detail).toMatchObject({ acknowledgedBurnedIn: [], heldForReview: 2 });

    // An acknowledged series is written without a hold, and the audit entry names it.
    const other = await newCase();
    const again = await processed(other, ctSeries({ series: 1, count: 2, study, extra: { BurnedInAnnotation: "YES" } }));
    await commitUpload(handle.db, storage, root, again, { actorId: userId, acknowledgeBurnedIn: [held.seriesInstanceUid] });
    const rows = await handle.db.select({ hold: instances.burnedInHold }).from(instances).innerJoin(series, eq(instances.seriesId, series.id)).where(eq(series.caseId, other));
    expect(rows.map((r) => r.hold)).toEqual([null, null]);
    const [ack] = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, other)).orderBy(asc(auditLog.id));
    expect(ack!.detail).toMatchObject({ acknowledgedBurnedIn: [held.seriesInstanceUid], heldForReview: 0 });
  });

  it("marks images already in the case as duplicates and refuses an empty commit", async () => {
    const caseId = await newCase();
    const files = ctSeries({ series: 3, count: 3, study: "1.2.826.0.1.3680043.8.498.999" });
    await commitUpload(handle.db, storage, root, await processed(caseId, files), { actorId: userId });
    const id = await processed(caseId, files);
    const manifest = await loadUpload(root, id);
    expect(manifest.files.map((f) => f.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    await expect(commitUpload(handle.db, storage, root, id, { actorId: userId })).rejects.toMatchObject({ code: "bad-request" });
    expect(await rowsOf(caseId)).toMatchObject({ series: 1, instances: 3 });
  });

  it("adds new slices to a series the case has and re-sorts the whole series", async () => {
    const caseId = await newCase();
    const all = ctSeries({ series: 4, count: 6, study: "1.2.826.0.1.3680043.8.498.444" });
    // Every other slice first, the rest later.
    await commitUpload(handle.db, storage, root, await processed(caseId, all.filter((_, i) => i % 2 === 0)), { actorId: userId });
    const id = await processed(caseId, all);
    const manifest = await loadUpload(root, id);
    expect(manifest.files.filter((f) => f.status === "duplicate")).toHaveLength(3);
    const groups = await previewCommit(handle.db, manifest.files, caseId);
    expect(groups[0]!.series[0]!.existsInCase).toBe(true);
    const outcome = await commitUpload(handle.db, storage, root, id, { actorId: userId });
    expect(outcome).toMatchObject({ series: 1, instances: 3, addedToExistingSeries: 1, studies: 0 });
    const result = await zOrder(caseId, 4);
    expect(result.z).toEqual([0, -5, -10, -15, -20, -25]);
    expect(result.sortIndex).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.series.instanceCount).toBe(6);
    expect(await rowsOf(caseId)).toMatchObject({ studies: 1, series: 1, instances: 6 });
  });

  it("cancel removes the staged session and writes nothing", async () => {
    const caseId = await newCase();
    const blobsBefore = await listFiles(storageDir);
    const id = await processed(caseId, ctSeries({ series: 9, count: 2, study: "1.2.826.0.1.3680043.8.498.333" }));
    await cancelUpload(root, id);
    await expect(loadUpload(root, id)).rejects.toMatchObject({ code: "not-found" });
    await expect(commitUpload(handle.db, storage, root, id, { actorId: userId })).rejects.toMatchObject({ code: "not-found" });
    expect(await rowsOf(caseId)).toEqual({ studies: 0, series: 0, instances: 0, audit: 0 });
    expect(await listFiles(storageDir)).toEqual(blobsBefore);
  });
});
