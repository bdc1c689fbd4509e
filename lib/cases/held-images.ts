import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getCaseImage } from "@/db/queries/held-images";
import { getDeidSalt } from "@/db/queries/settings";
import { cases, instances, series, studies } from "@/db/schema";
import { blankRectsSchema, blankRegions, CLEAN_PIXEL_METHOD, type BlankRect } from "@/lib/dicom/blank-regions";
import { DicomDecodeError } from "@/lib/dicom/codecs/errors";
import type { BlobStorage } from "@/lib/storage";
import { removeUnreferencedBlobs } from "@/lib/uploads/case-images";
import { fieldErrorsOf, loadEditableCase, type Editor, type Forbidden, type Invalid, type NotFound } from "./editor";

export type HeldImageResult = { ok: true; instanceId: string; sha256?: string } | Forbidden | NotFound | Invalid;

/** Called with the hash of bytes that are no longer served, so caches derived from them (previews) are dropped. */
export type ForgetBytes = (sha256: string) => Promise<void>;

const invalid = (fieldErrors: Record<string, string[]>): Invalid => ({ ok: false, reason: "invalid", fieldErrors });
const notFound: NotFound = { ok: false, reason: "not-found" };

async function loadImage(db: Db, editor: Editor, caseId: string, instanceId: string) {
  const loaded = await loadEditableCase(db, editor, caseId);
  if ("ok" in loaded) return { failure: loaded };
  const image = await getCaseImage(db, caseId, instanceId);
  if (!image) return { failure: notFound };
  return { image };
}

/** Validates rectangles sent for an image of `columns` x `rows`: the parsed list, or field errors naming each one. */
export function parseBlankRects(input: unknown, columns: number, rows: number): { ok: true; rects: BlankRect[] } | Invalid {
  const parsed = blankRectsSchema(columns, rows).safeParse(input);
  if (!parsed.success) return invalid(Object.fromEntries(Object.entries(fieldErrorsOf(parsed.error)).map(([k, v]) => [`rectangles.${k}`, v])));
  return { ok: true, rects: parsed.data };
}

/**
 * Blanks rectangles of one image of a case the editor may edit: writes the cleaned file as a new content-addressed
 * blob, points the instance at it and releases its hold in one transaction with the audit entry, then deletes the
 * old blob (the one with the text) unless another instance still uses the same bytes.
 *
 * The cleaned file is a new DICOM instance with a new SOPInstanceUID ({@link blankRegions}); the row takes it and
 * remembers the old one. Key images, annotations and measurements name the row, not the UID, so they still apply.
 */
export async function blankCaseImage(db: Db, storage: BlobStorage, editor: Editor, caseId: string, instanceId: string, input: unknown, forget?: ForgetBytes): Promise<HeldImageResult> {
  const { image, failure } = await loadImage(db, editor, caseId, instanceId);
  if (failure) return failure;
  const parsed = parseBlankRects(input, image.columns, image.rows);
  if (!parsed.ok) return parsed;
  const bytes = await storage.read(image.storageKey);
  if (!bytes) throw new Error(`missing blob ${image.storageKey}`);
  const uidSalt = await getDeidSalt(db);
  let result;
  try {
    result = blankRegions(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), parsed.rects, { uidSalt });
  } catch (error) {
    if (error instanceof DicomDecodeError) return invalid({ rectangles: [`This image cannot be blanked: ${error.message}`] });
    throw error;
  }
  const stored = await storage.put(result.bytes, "dicom", "dcm");
  try {
    const updated = await db.transaction(async (tx) => {
      // Guarded by the old key: a concurrent blanking of the same image makes this one a no-op, not a lost edit.
      const rows = await tx
        .update(instances)
        .set({
          storageKey: stored.key,
          sha256: stored.sha256,
          byteSize: stored.size,
          burnedInHold: null,
          sopInstanceUid: result.sopInstanceUid,
          // The first original stays the one to recognise: blanking a blanked image again keeps it.
          sourceSopInstanceUid: image.sourceSopInstanceUid ?? result.sourceSopInstanceUid,
        })
        .where(and(eq(instances.id, image.id), eq(instances.storageKey, image.storageKey)))
        .returning({ id: instances.id });
      if (rows.length === 0) return false;
      await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, caseId));
      await recordAudit(tx as unknown as Db, {
        actorId: editor.id,
        action: "case.image.blank",
        entity: "case",
        entityId: caseId,
        detail: {
          instanceId: image.id,
          sopInstanceUid: { from: image.sopInstanceUid, to: result.sopInstanceUid },
          heldFor: image.burnedInHold,
          rectangles: parsed.rects,
          frames: result.frames,
          pixelsPerFrame: result.pixelsPerFrame,
          method: CLEAN_PIXEL_METHOD,
          from: image.sha256,
          to: stored.sha256,
        },
      });
      return true;
    });
    if (!updated) {
      await removeUnreferencedBlobs(db, storage, [stored.key]);
      return invalid({ rectangles: ["This image changed while you were drawing: reload it and draw again"] });
    }
  } catch (error) {
    await removeUnreferencedBlobs(db, storage, [stored.key]);
    throw error;
  }
  if (stored.key !== image.storageKey) {
    await removeUnreferencedBlobs(db, storage, [image.storageKey]);
    await forget?.(image.sha256);
  }
  return { ok: true, instanceId: image.id, sha256: stored.sha256 };
}

/**
 * Takes one image out of a case (the educator's alternative to blanking): the row goes, an emptied series and study
 * go with it, and the blob is deleted unless another instance uses the same bytes.
 */
export async function removeCaseImage(db: Db, storage: BlobStorage, editor: Editor, caseId: string, instanceId: string, forget?: ForgetBytes): Promise<HeldImageResult> {
  const { image, failure } = await loadImage(db, editor, caseId, instanceId);
  if (failure) return failure;
  await db.transaction(async (tx) => {
    await tx.delete(instances).where(eq(instances.id, image.id));
    const [left] = await tx.select({ n: sql<number>`count(*)` }).from(instances).where(eq(instances.seriesId, image.seriesId));
    const [s] = await tx.select({ studyId: series.studyId }).from(series).where(eq(series.id, image.seriesId));
    if (Number(left?.n ?? 0) === 0) {
      await tx.delete(series).where(eq(series.id, image.seriesId));
      if (s) {
        const [others] = await tx.select({ n: sql<number>`count(*)` }).from(series).where(eq(series.studyId, s.studyId));
        if (Number(others?.n ?? 0) === 0) await tx.delete(studies).where(eq(studies.id, s.studyId));
      }
    } else {
      await tx.update(series).set({ instanceCount: Number(left!.n) }).where(eq(series.id, image.seriesId));
    }
    await tx.update(cases).set({ updatedAt: new Date() }).where(eq(cases.id, caseId));
    await recordAudit(tx as unknown as Db, {
      actorId: editor.id,
      action: "case.image.remove",
      entity: "case",
      entityId: caseId,
      detail: { instanceId: image.id, sopInstanceUid: image.sopInstanceUid, heldFor: image.burnedInHold, sha256: image.sha256 },
    });
  });
  await removeUnreferencedBlobs(db, storage, [image.storageKey]);
  await forget?.(image.sha256);
  return { ok: true, instanceId: image.id };
}

/**
 * Releases a held image unchanged: the educator looked at every frame and it shows no identifying text. The audit
 * entry records who said so.
 */
export async function releaseCaseImage(db: Db, editor: Editor, caseId: string, instanceId: string): Promise<HeldImageResult> {
  const { image, failure } = await loadImage(db, editor, caseId, instanceId);
  if (failure) return failure;
  if (!image.burnedInHold) return invalid({ image: ["This image is not held for review"] });
  await db.transaction(async (tx) => {
    await tx.update(instances).set({ burnedInHold: null }).where(eq(instances.id, image.id));
    await recordAudit(tx as unknown as Db, {
      actorId: editor.id,
      action: "case.image.release",
      entity: "case",
      entityId: caseId,
      detail: { instanceId: image.id, sopInstanceUid: image.sopInstanceUid, heldFor: image.burnedInHold, checkedNoText: true },
    });
  });
  return { ok: true, instanceId: image.id };
}
