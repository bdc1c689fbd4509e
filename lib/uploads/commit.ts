import fsp from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { holdCaseImages } from "@/db/queries/held-images";
import { listAnswerPhrases } from "@/db/queries/series-names";
import { answerLeakError, seriesDescriptionSchema } from "@/lib/cases/series-description";
import { cases, instances, series, studies } from "@/db/schema";
import { sortSlices } from "@/lib/dicom/sort-series";
import type { BlobStorage, StoredBlob } from "@/lib/storage";
import { instanceRowValues, removeUnreferencedBlobs, type InstanceHeader } from "./case-images";
import { UploadError } from "./errors";
import { groupUpload, type SeriesGroup, type StudyGroup } from "./group";
import type { FileResult } from "./manifest";
import { isCommitting, loadUpload, markCommitting, updateUpload, uploadPaths } from "./staging";

export type CommitStage = "blobs-written" | "rows-written";

export type CommitOptions = {
  actorId: string;
  /**
   * Series with a burned-in risk that the educator has looked at and accepts as they are. The risky images of every
   * other series are committed held for review: the case cannot be published until each is blanked or removed.
   */
  acknowledgeBurnedIn?: readonly string[];
  /** Descriptions the educator typed, by series UID (what residents see instead of the removed original). */
  seriesDescriptions?: Readonly<Record<string, string>>;
  /** Series the educator left out. */
  excludeSeries?: readonly string[];
  /** Fault injection for tests: a throw here must leave no rows and no new blobs. */
  failpoint?: (stage: CommitStage) => void | Promise<void>;
};

export type CommitOutcome = { studies: number; series: number; instances: number; addedToExistingSeries: number };

/**
 * Series and SOP instance UIDs already stored in a case (for duplicate detection and merging). The SOP instance UIDs
 * include those of originals that a stored image was derived from (blanked), which are duplicates too.
 */
export async function getCaseImageUids(db: Db, caseId: string): Promise<{ seriesUids: Set<string>; sopInstanceUids: Set<string> }> {
  const seriesRows = await db.select({ uid: series.seriesInstanceUid }).from(series).where(eq(series.caseId, caseId));
  const sopRows = await db
    .select({ uid: instances.sopInstanceUid, source: instances.sourceSopInstanceUid })
    .from(instances)
    .innerJoin(series, eq(instances.seriesId, series.id))
    .where(eq(series.caseId, caseId));
  const sopInstanceUids = new Set(sopRows.flatMap((r) => (r.source ? [r.uid, r.source] : [r.uid])));
  return { seriesUids: new Set(seriesRows.map((r) => r.uid)), sopInstanceUids };
}

/** The grouping the commit would write now, against what the case already holds. */
export async function previewCommit(db: Db, files: readonly FileResult[], caseId: string): Promise<StudyGroup[]> {
  return groupUpload(files, (await getCaseImageUids(db, caseId)).seriesUids);
}

/**
 * Commits a processed upload into its case: writes the de-identified blobs through storage, then inserts
 * studies, series and instances (and an audit entry) in ONE transaction. Series already in the case receive the
 * new images and are re-sorted. If anything fails, the transaction rolls back and the blobs it added are
 * deleted, so no half-written series can exist; the session goes back to "ready" for another try.
 *
 * @throws UploadError conflict when the session is not ready; bad-request when nothing is left to commit.
 */
export async function commitUpload(db: Db, storage: BlobStorage, root: string, id: string, options: CommitOptions): Promise<CommitOutcome> {
  const names = await checkSeriesDescriptions(db, root, id, options.seriesDescriptions ?? {});
  const manifest = await updateUpload(root, id, (m) => {
    if (m.state === "committing" && !isCommitting(id)) throw new UploadError("conflict", "An earlier commit of this upload was interrupted: cancel it and upload again.");
    if (m.state !== "ready") throw new UploadError("conflict", m.state === "committed" ? "This upload is already committed." : `This upload is ${m.state}, not ready to commit.`);
    m.state = "committing";
  });
  const done = markCommitting(id);
  const paths = uploadPaths(root, id);
  const written: string[] = [];
  let transactionDone = false;
  try {
    const excluded = new Set(options.excludeSeries ?? []);
    const acknowledged = new Set(options.acknowledgeBurnedIn ?? []);
    const groups = (await previewCommit(db, manifest.files, manifest.caseId))
      .map((study) => ({ ...study, series: study.series.filter((s) => !excluded.has(s.seriesInstanceUid)) }))
      .filter((study) => study.series.length > 0);
    const chosen = groups.flatMap((g) => g.series);
    if (chosen.length === 0) throw new UploadError("bad-request", "Nothing to commit: no accepted images are selected.");
    const byId = new Map(manifest.files.map((f) => [f.id, f]));
    const holds = burnedInHolds(chosen.filter((s) => !acknowledged.has(s.seriesInstanceUid)), byId);
    const blobs = new Map<string, StoredBlob>();
    // The processed files are already the de-identified bytes to keep, hashed when written: storage links them
    // in place (no second copy). Sessions processed before hashes were recorded are read and written once more.
    const fileIds = chosen.flatMap((s) => s.fileIds);
    let next = 0;
    const writer = async () => {
      while (next < fileIds.length) {
        const fileId = fileIds[next++]!;
        const processed = byId.get(fileId)!.processed!;
        const file = path.join(paths.dir, processed.file);
        const stored = processed.sha256
          ? await storage.adopt(file, processed.sha256, "dicom", "dcm", processed.size)
          : await storage.put(await fsp.readFile(file), "dicom", "dcm");
        written.push(stored.key);
        blobs.set(fileId, stored);
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    // A crash from here to the end of the transaction leaves these listed: the stale sweep releases them.
    await updateUpload(root, id, (m) => {
      m.pendingBlobKeys = [...new Set(written)];
    });
    await options.failpoint?.("blobs-written");

    const outcome = await db.transaction(async (tx) => {
      const [target] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, manifest.caseId)).for("update");
      if (!target) throw new UploadError("not-found", "The case of this upload no longer exists.");
      const studyIds = new Map(
        (await tx.select({ id: studies.id, uid: studies.studyInstanceUid }).from(studies).where(eq(studies.caseId, manifest.caseId))).map((r) => [r.uid, r.id]),
      );
      const existingSeries = new Map(
        (await tx.select({ id: series.id, uid: series.seriesInstanceUid }).from(series).where(eq(series.caseId, manifest.caseId))).map((r) => [r.uid, r.id]),
      );
      const [{ next } = { next: 0 }] = await tx
        .select({ next: sql<number>`coalesce(max(${series.position}) + 1, 0)` })
        .from(series)
        .where(eq(series.caseId, manifest.caseId));
      let position = Number(next);
      let newStudies = 0;
      let instanceCount = 0;
      let merged = 0;
      for (const study of groups) {
        let studyId = studyIds.get(study.studyInstanceUid);
        if (!studyId) {
          const [row] = await tx.insert(studies).values({ caseId: manifest.caseId, studyInstanceUid: study.studyInstanceUid, description: study.description }).returning({ id: studies.id });
          studyId = row!.id;
          studyIds.set(study.studyInstanceUid, studyId);
          newStudies += 1;
        }
        for (const s of study.series) {
          const items = s.fileIds.map((fileId) => ({ fileId, header: byId.get(fileId)!.instance! }));
          const existingId = existingSeries.get(s.seriesInstanceUid);
          if (existingId) {
            instanceCount += await mergeIntoSeries(tx as unknown as Db, existingId, items, blobs);
            const name = names.get(s.seriesInstanceUid);
            if (name !== undefined) await tx.update(series).set({ description: name }).where(eq(series.id, existingId));
            merged += 1;
          } else {
            instanceCount += await insertSeries(tx as unknown as Db, manifest.caseId, studyId, s, position++, items, blobs, names.get(s.seriesInstanceUid));
          }
        }
      }
      await holdCaseImages(tx as unknown as Db, manifest.caseId, holds);
      await options.failpoint?.("rows-written");
      await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, manifest.caseId));
      await recordAudit(tx as unknown as Db, {
        actorId: options.actorId,
        action: "case.upload",
        entity: "case",
        entityId: manifest.caseId,
        detail: {
          upload: id,
          series: chosen.length,
          instances: instanceCount,
          addedToExistingSeries: merged,
          acknowledgedBurnedIn: chosen.filter((s) => s.heldForReview && acknowledged.has(s.seriesInstanceUid)).map((s) => s.seriesInstanceUid),
          heldForReview: holds.size,
          named: chosen.filter((s) => names.has(s.seriesInstanceUid)).map((s) => ({ seriesInstanceUid: s.seriesInstanceUid, description: names.get(s.seriesInstanceUid) })),
        },
      });
      return { studies: newStudies, series: chosen.length, instances: instanceCount, addedToExistingSeries: merged };
    });

    transactionDone = true;
    await updateUpload(root, id, (m) => {
      m.state = "committed";
      m.pendingBlobKeys = [];
      m.committed = { at: new Date().toISOString(), series: outcome.series, instances: outcome.instances };
    });
    await fsp.rm(paths.processed, { recursive: true, force: true });
    done();
    return outcome;
  } catch (error) {
    if (transactionDone) {
      // The case has the images: only the bookkeeping of the session failed; its blobs are in use.
      done();
      throw error;
    }
    await removeUnreferencedBlobs(db, storage, written);
    await updateUpload(root, id, (m) => {
      m.state = "ready";
      m.pendingBlobKeys = [];
    }).catch(() => undefined);
    done();
    throw error;
  }
}

type Item = { fileId: string; header: InstanceHeader };

/**
 * Validates the educator's series names before anything is written: each must be a short LO-safe description
 * that does not name the case's answer (the rule of lib/cases/series-description). Blank names are dropped
 * (the series keeps what de-identification left).
 * @throws UploadError bad-request naming the first refused description.
 */
async function checkSeriesDescriptions(db: Db, root: string, id: string, input: Readonly<Record<string, string>>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const entries = Object.entries(input).filter(([, v]) => v.trim() !== "");
  if (entries.length === 0) return names;
  const { caseId } = await loadUpload(root, id);
  const phrases = await listAnswerPhrases(db, caseId);
  for (const [uid, value] of entries) {
    const parsed = seriesDescriptionSchema.safeParse(value);
    if (!parsed.success) throw new UploadError("bad-request", `Series description "${value.slice(0, 80)}": ${parsed.error.issues[0]?.message ?? "invalid"}`);
    const leak = answerLeakError(parsed.data, phrases);
    if (leak) throw new UploadError("bad-request", leak);
    names.set(uid, parsed.data);
  }
  return names;
}

async function insertSeries(db: Db, caseId: string, studyId: string, s: SeriesGroup, position: number, items: Item[], blobs: Map<string, StoredBlob>, name?: string): Promise<number> {
  const first = items[0]!.header;
  const [row] = await db
    .insert(series)
    .values({
      caseId,
      studyId,
      seriesInstanceUid: s.seriesInstanceUid,
      frameOfReferenceUid: first.frameOfReferenceUid,
      modality: first.modality,
      description: name ?? first.seriesDescription,
      seriesNumber: first.seriesNumber,
      position,
      instanceCount: items.length,
    })
    .returning({ id: series.id });
  // items are already in display order (groupUpload sorted them).
  await db.insert(instances).values(items.map((item, sortIndex) => instanceRowValues(row!.id, item.header, blobs.get(item.fileId)!, sortIndex)));
  return items.length;
}

/** Adds images to a series the case already has, then re-sorts the whole series. */
async function mergeIntoSeries(db: Db, seriesId: string, items: Item[], blobs: Map<string, StoredBlob>): Promise<number> {
  const old = await db
    .select({ id: instances.id, imagePosition: instances.imagePosition, imageOrientation: instances.imageOrientation, instanceNumber: instances.instanceNumber, sortIndex: instances.sortIndex })
    .from(instances)
    .where(eq(instances.seriesId, seriesId))
    .orderBy(instances.sortIndex);
  const combined = sortSlices([
    ...old.map((o) => ({ ...o, kind: "old" as const })),
    ...items.map((item) => ({ ...item.header, kind: "new" as const, item })),
  ]);
  const fresh: ReturnType<typeof instanceRowValues>[] = [];
  for (const [sortIndex, entry] of combined.entries()) {
    if (entry.kind === "new") fresh.push(instanceRowValues(seriesId, entry.item.header, blobs.get(entry.item.fileId)!, sortIndex));
    else if (entry.sortIndex !== sortIndex) await db.update(instances).set({ sortIndex }).where(and(eq(instances.id, entry.id), eq(instances.seriesId, seriesId)));
  }
  await db.insert(instances).values(fresh);
  await db.update(series).set({ instanceCount: combined.length }).where(eq(series.id, seriesId));
  return items.length;
}

/** SOP instance UID -> reason, for every file with a burned-in risk in these series. */
function burnedInHolds(chosen: readonly SeriesGroup[], byId: ReadonlyMap<string, FileResult>): Map<string, string> {
  const holds = new Map<string, string>();
  for (const fileId of chosen.flatMap((s) => s.fileIds)) {
    const f = byId.get(fileId);
    if (f?.deid?.burnedInRisk && f.instance) holds.set(f.instance.sopInstanceUid, f.deid.burnedInReason ?? "burned-in annotation possible");
  }
  return holds;
}
