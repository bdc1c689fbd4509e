import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { instances } from "@/db/schema";
import type { IngestedInstance } from "@/lib/dicom/ingest-types";
import type { BlobStorage, StoredBlob } from "@/lib/storage";

/** The header fields of an ingested instance, without its bytes (what staging manifests keep). */
export type InstanceHeader = Omit<IngestedInstance, "bytes">;

/**
 * The `instances` row of one stored image. Shared by bundle import and upload commit, so both write images the
 * same way.
 */
export function instanceRowValues(seriesId: string, item: InstanceHeader, stored: StoredBlob, sortIndex: number): typeof instances.$inferInsert {
  return {
    seriesId,
    sopInstanceUid: item.sopInstanceUid,
    sopClassUid: item.sopClassUid,
    storageKey: stored.key,
    sha256: stored.sha256,
    byteSize: stored.size,
    instanceNumber: item.instanceNumber,
    sortIndex,
    imagePosition: item.imagePosition,
    imageOrientation: item.imageOrientation,
    sliceLocation: item.sliceLocation,
    sliceThickness: item.sliceThickness,
    pixelSpacing: item.pixelSpacing,
    rows: item.rows,
    columns: item.columns,
    frames: item.frames,
    transferSyntaxUid: item.transferSyntaxUid,
    windowCenter: item.windowCenter,
    windowWidth: item.windowWidth,
  };
}

/**
 * Deletes blobs a failed write added, unless an instance row references the same bytes (storage is
 * content-addressed, so another case may share a blob).
 */
export async function removeUnreferencedBlobs(db: Db, storage: BlobStorage, keys: Iterable<string>): Promise<void> {
  for (const key of new Set(keys)) {
    const used = await db.select({ id: instances.id }).from(instances).where(eq(instances.storageKey, key)).limit(1);
    if (!used[0]) await storage.delete(key);
  }
}
