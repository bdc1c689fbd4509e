import { createHash, randomUUID } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { DeidReport } from "@/lib/dicom/deidentify";
import { createDicomPartsPreparer, type PreparedParts } from "@/lib/dicom/ingest";
import type { DeidSummary, FileResult } from "./manifest";

/**
 * The per-file work shared by processing (staged files, zip entries) and receiving (plain files de-identified in
 * memory as they arrive): de-identify and normalise one file's bytes, then write the processed bytes. Duplicate
 * checks are not here: they need every file of the session and run in processing.
 */

class FileTimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FileTimeoutError(`processing took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A refusal reason a person can act on; parser internals are cut short. */
export function refusalReason(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "unreadable data";
  // Errors of the DICOM modules already speak to the uploader; anything else comes from parser internals.
  const known = (error instanceof Error && ["DicomInvalidError", "DicomDecodeError"].includes(error.name)) || /DICOM/.test(message);
  const text = known || error instanceof FileTimeoutError ? message : `not a readable DICOM file (${message})`;
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine || "not a readable DICOM file";
}

function summariseDeid(report: DeidReport | undefined): DeidSummary | null {
  if (!report) return null;
  return {
    reviewDescriptions: report.reviewDescriptions.map((d) => ({ keyword: d.keyword, value: d.value })),
    burnedInRisk: report.burnedInRisk,
    burnedInReason: report.burnedInReason,
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type Preparer = { prepare: (bytes: Uint8Array, source: string) => Promise<PreparedParts>; reports: Map<string, DeidReport>; timeoutMs: number };

/** The upload preparer: allow-list de-identification without descriptions, normalisation, header index. */
export function createUploadPreparer(options: { uidSalt: string; maxDecodedBytes: number; timeoutMs: number }): Preparer {
  const reports = new Map<string, DeidReport>();
  const prepare = createDicomPartsPreparer({ uidSalt: options.uidSalt, keepDescriptions: false, maxDecodedBytes: options.maxDecodedBytes, onReport: (source, report) => reports.set(source, report) });
  return { prepare, reports, timeoutMs: options.timeoutMs };
}

export type FileInput = { sourceId: string; name: string; size: number };

export function refused(input: FileInput, reason: string, originalSha256: string | null = null): FileResult {
  return { id: randomUUID(), sourceId: input.sourceId, name: input.name, size: input.size, status: "refused", reason, originalSha256, processed: null, instance: null, deid: null };
}

/** An accepted file's stored bytes, not yet written: parts to write in order (views of the original among them). */
export type ProcessedOutput = { parts: Uint8Array[]; size: number; sha256: string };

/**
 * De-identifies and normalises one file in memory. A refusal comes back as a refused result; an accepted file
 * comes back with its processed bytes (not yet written, already hashed) and status "accepted", pending the
 * duplicate checks. The result's `originalSha256` identifies the original bytes (see {@link originalIdentity});
 * `knownSha256` is the original's SHA-256 when the caller hashed it already. Never throws for bad bytes.
 */
export async function deidentifyFile(preparer: Preparer, input: FileInput, original: Uint8Array, knownSha256?: string): Promise<{ result: FileResult; output: ProcessedOutput | null }> {
  const label = randomUUID();
  let prepared: PreparedParts;
  try {
    prepared = await withTimeout(preparer.prepare(original, label), preparer.timeoutMs);
  } catch (error) {
    preparer.reports.delete(label);
    return { result: refused(input, refusalReason(error), knownSha256 ?? sha256(original)), output: null };
  }
  const report = preparer.reports.get(label);
  preparer.reports.delete(label);
  const hash = createHash("sha256");
  for (const part of prepared.parts) hash.update(part);
  const output = { parts: prepared.parts, size: prepared.size, sha256: hash.digest("hex") };
  const identity = prepared.pixelRange ? originalIdentity(original, prepared.pixelRange, output.sha256) : (knownSha256 ?? sha256(original));
  return { result: { ...refused(input, "", identity), status: "accepted", reason: null, instance: prepared.instance, deid: summariseDeid(report) }, output };
}

/**
 * What identifies a file stored as a new header followed by its own pixel data (value bytes `pixels` of the
 * original, copied through or only byte-swapped): a SHA-256 over every original byte outside the pixel value,
 * with their lengths, and the stored file's SHA-256. De-identification is deterministic and the stored bytes
 * after the header are a one-to-one function of the pixel value given the bytes before it, so two originals get
 * the same identity exactly when they are the same bytes, as with a SHA-256 of the whole original, but without
 * a second pass over the pixels (the stored file's hash, needed for storage anyway, covers them).
 */
export function originalIdentity(original: Uint8Array, pixels: { start: number; end: number }, storedSha256: string): string {
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64BE(BigInt(pixels.start), 0);
  lengths.writeBigUInt64BE(BigInt(original.byteLength - pixels.end), 8);
  return createHash("sha256")
    .update("casebook-original-identity-1\u0000")
    .update(lengths)
    .update(original.subarray(0, pixels.start))
    .update(original.subarray(pixels.end))
    .update(storedSha256)
    .digest("hex");
}

/** Writes an accepted file's processed bytes to `processed/<id>.dcm` (one gathered write) and records their size and hash. */
export async function writeProcessed(dir: string, result: FileResult, output: ProcessedOutput): Promise<FileResult> {
  const processedName = `${result.id}.dcm`;
  // The processed file is the stored blob to be: its hash lets the commit link it into storage unread.
  const file = await fsp.open(path.join(dir, "processed", processedName), "wx");
  try {
    let written = 0;
    while (written < output.size) {
      const { bytesWritten } = await file.writev(remaining(output.parts, written));
      if (bytesWritten === 0) throw new Error("the disk accepted no bytes");
      written += bytesWritten;
    }
  } finally {
    await file.close();
  }
  return { ...result, processed: { file: `processed/${processedName}`, size: output.size, sha256: output.sha256 } };
}

/** The parts past the first `skip` bytes (a short gathered write continues where it stopped). */
function remaining(parts: Uint8Array[], skip: number): Uint8Array[] {
  if (skip === 0) return parts;
  const rest: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    const end = offset + part.byteLength;
    if (end > skip) rest.push(skip > offset ? part.subarray(skip - offset) : part);
    offset = end;
  }
  return rest;
}
