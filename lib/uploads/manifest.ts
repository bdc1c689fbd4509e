import { z } from "zod";

const uid = z.string().max(64);
const nullableNumbers = z.array(z.number()).nullable();

/** The header fields kept for an accepted file (IngestedInstance without its bytes). */
export const instanceHeaderSchema = z.object({
  studyInstanceUid: uid,
  seriesInstanceUid: uid,
  sopInstanceUid: uid,
  sopClassUid: uid,
  frameOfReferenceUid: uid.nullable(),
  modality: z.string(),
  studyDescription: z.string(),
  seriesDescription: z.string(),
  seriesNumber: z.number().int().nullable(),
  instanceNumber: z.number().int().nullable(),
  imagePosition: nullableNumbers,
  imageOrientation: nullableNumbers,
  sliceLocation: z.number().nullable(),
  sliceThickness: z.number().nullable(),
  pixelSpacing: nullableNumbers,
  rows: z.number().int(),
  columns: z.number().int(),
  frames: z.number().int(),
  transferSyntaxUid: z.string(),
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
});

/** What de-identification reported about one file, as far as the review screen needs it. */
export const deidSummarySchema = z.object({
  /** Original descriptions that were removed (they may name the answer or the patient): shown, never stored. */
  reviewDescriptions: z.array(z.object({ keyword: z.string(), value: z.string() })),
  burnedInRisk: z.boolean(),
  burnedInReason: z.string().nullable(),
});

/** The outcome for one file (a zip's entries each get their own). */
export const fileResultSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  /** The name the educator knows: the path they uploaded, "archive.zip/inner/path" for zip entries. */
  name: z.string(),
  size: z.number().int().nonnegative(),
  status: z.enum(["accepted", "duplicate", "refused"]),
  reason: z.string().nullable(),
  /**
   * Identifies the original bytes for duplicate detection (equal exactly when the originals are): their SHA-256,
   * or for a file stored as a new header before its own pixel data, a hash of the bytes around the pixels and of
   * the stored file (prepare.ts originalIdentity), which spares a second pass over the pixels.
   */
  originalSha256: z.string().nullable(),
  /** The de-identified, normalised bytes waiting for commit, relative to the upload folder. */
  /** `sha256` of those bytes lets the commit hand the file to storage without reading it again (absent in older sessions). */
  processed: z.object({ file: z.string(), size: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }).nullable(),
  instance: instanceHeaderSchema.nullable(),
  deid: deidSummarySchema.nullable(),
});

/** One uploaded request body: a DICOM file or a zip archive, as received. */
export const sourceSchema = z.object({
  id: z.string().regex(/^[0-9a-z-]+$/),
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** SHA-256 of the bytes as received; for a file de-identified on receipt, its result's `originalSha256`. */
  sha256: z.string(),
  kind: z.enum(["file", "zip"]),
  /** Set once processing has read it (its original bytes are gone from disk then). */
  processed: z.boolean(),
  /**
   * A plain DICOM file de-identified while it was received (its original never reached the disk): the result
   * before the duplicate checks, which processing makes. Its processed bytes, if accepted, are already written.
   */
  prepared: fileResultSchema.optional(),
});

export const uploadStateSchema = z.enum(["open", "processing", "ready", "committing", "committed", "cancelled"]);

export const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  userId: z.string().uuid(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: uploadStateSchema,
  receivedBytes: z.number().int().nonnegative(),
  sources: z.array(sourceSchema),
  files: z.array(fileResultSchema),
  /** Blobs written by a commit in progress: a crash leaves them listed so the stale sweep can remove them. */
  pendingBlobKeys: z.array(z.string()),
  committed: z.object({ at: z.string(), series: z.number().int(), instances: z.number().int() }).nullable(),
});

export type UploadManifest = z.infer<typeof manifestSchema>;
export type UploadState = z.infer<typeof uploadStateSchema>;
export type UploadSource = z.infer<typeof sourceSchema>;
export type FileResult = z.infer<typeof fileResultSchema>;
export type DeidSummary = z.infer<typeof deidSummarySchema>;
