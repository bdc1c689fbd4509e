import { createHash, randomUUID } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { DeidReport } from "@/lib/dicom/deidentify";
import { createDicomPreparer } from "@/lib/dicom/ingest";
import type { IngestedInstance, PrepareDicom } from "@/lib/dicom/ingest-types";
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

export type Preparer = { prepare: PrepareDicom; reports: Map<string, DeidReport>; timeoutMs: number };

/** The upload preparer: allow-list de-identification without descriptions, normalisation, header index. */
export function createUploadPreparer(options: { uidSalt: string; maxDecodedBytes: number; timeoutMs: number }): Preparer {
  const reports = new Map<string, DeidReport>();
  const prepare = createDicomPreparer({ uidSalt: options.uidSalt, keepDescriptions: false, maxDecodedBytes: options.maxDecodedBytes, onReport: (source, report) => reports.set(source, report) });
  return { prepare, reports, timeoutMs: options.timeoutMs };
}

export type FileInput = { sourceId: string; name: string; size: number };

export function refused(input: FileInput, reason: string, originalSha256: string | null = null): FileResult {
  return { id: randomUUID(), sourceId: input.sourceId, name: input.name, size: input.size, status: "refused", reason, originalSha256, processed: null, instance: null, deid: null };
}

/**
 * De-identifies and normalises one file in memory. A refusal comes back as a refused result; an accepted file
 * comes back with its processed bytes (not yet written) and status "accepted", pending the duplicate checks.
 * Never throws for bad bytes.
 */
export async function deidentifyFile(preparer: Preparer, input: FileInput, original: Uint8Array, originalSha256: string): Promise<{ result: FileResult; bytes: Uint8Array | null }> {
  const label = randomUUID();
  let prepared: IngestedInstance;
  try {
    prepared = await withTimeout(preparer.prepare(original, label), preparer.timeoutMs);
  } catch (error) {
    preparer.reports.delete(label);
    return { result: refused(input, refusalReason(error), originalSha256), bytes: null };
  }
  const report = preparer.reports.get(label);
  preparer.reports.delete(label);
  const { bytes, ...instance } = prepared;
  return { result: { ...refused(input, "", originalSha256), status: "accepted", reason: null, instance, deid: summariseDeid(report) }, bytes };
}

/** Writes an accepted file's processed bytes to `processed/<id>.dcm` and records their size and hash. */
export async function writeProcessed(dir: string, result: FileResult, bytes: Uint8Array): Promise<FileResult> {
  const processedName = `${result.id}.dcm`;
  // The processed file is the stored blob to be: its hash now lets the commit link it into storage unread.
  await fsp.writeFile(path.join(dir, "processed", processedName), bytes, { flag: "wx" });
  return { ...result, processed: { file: `processed/${processedName}`, size: bytes.byteLength, sha256: sha256(bytes) } };
}
