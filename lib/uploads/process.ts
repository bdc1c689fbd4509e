import fsp from "node:fs/promises";
import path from "node:path";
import { UploadError } from "./errors";
import { uploadLimits } from "./limits";
import type { FileResult, UploadManifest, UploadSource } from "./manifest";
import { refusalReason, refused, writeProcessed, type ProcessedOutput } from "./prepare";
import { deidentifyOffThread, type PreparerOptions } from "./prepare-pool";
import { extractZip, ZipRefusedError } from "./safe-zip";
import { formatBytes } from "@/lib/format";
import { loadUpload, sourcePath, updateUpload, uploadPaths, type UploadPaths } from "./staging";

export type ProcessProgress = {
  /** Bytes of received sources processed so far (a zip counts in proportion to its entries done). */
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Files de-identified while they were received: processing only checks them for duplicates. */
  preparedOnReceipt: number;
};

export type ProcessOptions = {
  /** The installation's de-identification salt (setting "deid.uid-salt"). */
  uidSalt: string;
  /** SOPInstanceUIDs (after remapping) already stored in the target case: uploading them again is a duplicate. */
  existingSopInstanceUids?: ReadonlySet<string>;
  onProgress?: (progress: ProcessProgress) => void;
  perFileTimeoutMs?: number;
  maxDicomFileBytes?: number;
};

// Sessions being processed by this process; a "processing" manifest not listed here was left by a crash.
const active = new Set<string>();

/** Progress of sessions being processed in this process, for polling clients. */
export const processingProgress = new Map<string, ProcessProgress>();

export { refusalReason };

type Seen = { bytes: Map<string, string>; sops: Map<string, string> };

/**
 * Processes every received source of an upload: zips are extracted as streams (traversal, links and bombs
 * refused), each file is de-identified and normalised by the ingest preparer, and gets an accepted, duplicate or
 * refused result with a reason. Original bytes are deleted as soon as each source is done; only de-identified
 * bytes stay in `processed/` until commit. Never throws for bad input: every problem is a per-file reason.
 *
 * A session left "processing" by a crash is resumed: results of the source that was interrupted are discarded
 * and it is processed again.
 *
 * @throws UploadError conflict when the session is not open (or is being processed right now).
 */
export async function processUpload(root: string, id: string, options: ProcessOptions): Promise<UploadManifest> {
  if (active.has(id)) throw new UploadError("conflict", "This upload is already being processed.");
  active.add(id);
  try {
    const paths = uploadPaths(root, id);
    let manifest = await updateUpload(root, id, async (m) => {
      if (m.state !== "open" && m.state !== "processing") throw new UploadError("conflict", `This upload is ${m.state}.`);
      if (m.sources.length === 0) throw new UploadError("bad-request", "Add files before processing.");
      m.state = "processing";
      // Resume after a crash: forget half-recorded sources and their processed bytes.
      const unfinished = new Set(m.sources.filter((s) => !s.processed).map((s) => s.id));
      for (const f of m.files.filter((f) => unfinished.has(f.sourceId))) {
        if (f.processed) await fsp.rm(path.join(paths.dir, f.processed.file), { force: true });
      }
      m.files = m.files.filter((f) => !unfinished.has(f.sourceId));
    });
    await fsp.rm(paths.extracted, { recursive: true, force: true });
    await fsp.mkdir(paths.processed, { recursive: true });

    const seen: Seen = { bytes: new Map(), sops: new Map() };
    for (const f of manifest.files) {
      if (f.originalSha256) seen.bytes.set(f.originalSha256, f.name);
      if (f.status === "accepted" && f.instance) seen.sops.set(f.instance.sopInstanceUid, f.name);
    }
    const ctx: FileContext = {
      paths,
      preparer: {
        uidSalt: options.uidSalt,
        maxDecodedBytes: options.maxDicomFileBytes ?? uploadLimits.maxDicomFileBytes,
        timeoutMs: options.perFileTimeoutMs ?? uploadLimits.perFileTimeoutMs,
      },
      seen,
      existing: options.existingSopInstanceUids ?? new Set(),
      maxBytes: options.maxDicomFileBytes ?? uploadLimits.maxDicomFileBytes,
    };
    const progress: ProcessProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, accepted: 0, duplicates: 0, refused: 0, preparedOnReceipt: 0 };
    for (const s of manifest.sources) {
      progress.bytesTotal += s.size;
      if (s.processed) progress.bytesDone += s.size;
      if (s.prepared) progress.preparedOnReceipt += 1;
    }
    for (const f of manifest.files) count(progress, f);
    const report = () => {
      processingProgress.set(id, { ...progress });
      options.onProgress?.({ ...progress });
    };
    report();

    let inflatedBudget = uploadLimits.maxUploadBytes;
    let filesBudget = uploadLimits.maxFiles - manifest.files.length;
    // Results are recorded in batches (rewriting the manifest per file would be quadratic); a source's original
    // bytes are deleted as soon as the batch that records it is written.
    let pending: { sourceId: string; results: FileResult[]; staged: boolean }[] = [];
    let stagedPending = 0;
    let flushedAt = Date.now();
    const flush = async (last = false) => {
      if (pending.length === 0 && !last) return;
      stagedPending = 0;
      const batch = pending;
      pending = [];
      flushedAt = Date.now();
      const done = new Set(batch.map((b) => b.sourceId));
      await updateUpload(root, id, (m) => {
        for (const b of batch) m.files.push(...b.results);
        for (const s of m.sources) if (done.has(s.id)) s.processed = true;
        if (last) m.state = "ready";
      });
      // Files prepared on receipt have no original on disk.
      for (const b of batch) if (b.staged) await fsp.rm(sourcePath(paths, b.sourceId), { force: true });
    };
    const plainInput = (source: UploadSource) => ({ sourceId: source.id, name: source.name, file: sourcePath(paths, source.id), size: source.size, sha256: source.sha256 });
    const handle = async (source: UploadSource, readyPlain?: PreparedFile) => {
      const results: FileResult[] = [];
      const onFile = (result: FileResult, fraction: number) => {
        results.push(result);
        count(progress, result);
        progress.bytesDone = Math.min(progress.bytesTotal, progress.bytesDone + source.size * fraction);
        report();
      };
      if (source.prepared) {
        onFile(await checkPrepared(ctx, source.prepared), 1);
      } else if (source.kind === "zip" && !(await exists(sourcePath(paths, source.id)))) {
        onFile(refused({ sourceId: source.id, name: source.name, size: source.size }, interrupted), 1);
      } else if (source.kind === "zip") {
        const used = await processZip(ctx, source, { inflated: inflatedBudget, files: filesBudget }, onFile);
        inflatedBudget -= used;
      } else {
        onFile(await settleFile(ctx, readyPlain ?? (await prepareFile(ctx, plainInput(source)))), 1);
      }
      filesBudget -= results.length;
      pending.push({ sourceId: source.id, results, staged: !source.prepared });
      // Only staged originals wait on a flush to be deleted; prepared files are only checked, so a crash merely
      // repeats their checks, and they are recorded together at the end (one manifest write, not one per 64).
      if (!source.prepared) stagedPending += 1;
      if (stagedPending >= 64 || (stagedPending > 0 && Date.now() - flushedAt > 1000)) await flush();
    };
    const todo = manifest.sources.filter((s) => !s.processed);
    // Plain files are read and de-identified two at a time (one parses while the other waits on the disk), then
    // settled (duplicate checks, written, recorded) in upload order: of two identical files the earlier one is
    // always kept, whatever finished first. Zips one at a time, so their inflated-bytes budget holds.
    const plain = todo.filter((s) => s.kind === "file");
    for (let i = 0; i < plain.length; i += 2) {
      const pair = plain.slice(i, i + 2);
      const ready = await Promise.all(pair.map((source) => (source.prepared ? undefined : prepareFile(ctx, plainInput(source)))));
      for (const [k, source] of pair.entries()) await handle(source, ready[k]);
    }
    for (const source of todo.filter((s) => s.kind === "zip")) await handle(source);
    await fsp.rm(paths.extracted, { recursive: true, force: true });
    await flush(true);
    manifest = await loadUpload(root, id);
    report();
    return manifest;
  } finally {
    active.delete(id);
    processingProgress.delete(id);
  }
}

// Only a crash between deleting an original and recording it leaves a source without its bytes.
const interrupted = "processing was interrupted: upload this file again";

async function exists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}

/** Whether this process is processing the session now. */
export function isProcessing(id: string): boolean {
  return active.has(id);
}

function count(progress: ProcessProgress, f: FileResult): void {
  progress.filesDone += 1;
  if (f.status === "accepted") progress.accepted += 1;
  else if (f.status === "duplicate") progress.duplicates += 1;
  else progress.refused += 1;
}

type FileContext = {
  paths: UploadPaths;
  preparer: PreparerOptions;
  seen: Seen;
  existing: ReadonlySet<string>;
  maxBytes: number;
};

async function processZip(
  ctx: FileContext,
  source: UploadSource,
  budget: { inflated: number; files: number },
  onFile: (result: FileResult, fraction: number) => void,
): Promise<number> {
  const target = path.join(ctx.paths.extracted, source.id);
  await fsp.mkdir(target, { recursive: true });
  try {
    let entries;
    try {
      entries = await extractZip(sourcePath(ctx.paths, source.id), target, {
        folderWord: "upload",
        limits: { maxEntries: Math.max(0, budget.files), maxTotalBytes: Math.max(0, budget.inflated), maxRatio: uploadLimits.maxZipRatio },
      });
    } catch (error) {
      const reason = error instanceof ZipRefusedError ? error.message : refusalReason(error);
      onFile(refused({ sourceId: source.id, name: source.name, size: source.size }, `zip archive refused: ${reason}`, source.sha256), 1);
      return 0;
    }
    if (entries.length === 0) {
      onFile(refused({ sourceId: source.id, name: source.name, size: source.size }, "zip archive holds no files", source.sha256), 1);
      return 0;
    }
    let used = 0;
    for (const entry of entries) {
      used += entry.size;
      const result = await processFile(ctx, { sourceId: source.id, name: `${source.name}/${entry.name}`, file: entry.file, size: entry.size });
      await fsp.rm(entry.file, { force: true });
      onFile(result, 1 / entries.length);
    }
    return used;
  } finally {
    await fsp.rm(target, { recursive: true, force: true });
  }
}

type FileInput = { sourceId: string; name: string; file: string; size: number; sha256?: string };

/** A file read and de-identified but not yet checked for duplicates: a final result, or the result to settle. */
type PreparedFile = { final: FileResult } | { input: FileInput; result: FileResult; output: ProcessedOutput | null };

/** One file: read, de-identify, normalise, check for duplicates, keep the processed bytes. Never throws for bad bytes. */
async function processFile(ctx: FileContext, input: FileInput): Promise<FileResult> {
  return settleFile(ctx, await prepareFile(ctx, input));
}

/** Reads and de-identifies one file; touches no shared state, so several may run at once. */
async function prepareFile(ctx: FileContext, input: FileInput): Promise<PreparedFile> {
  if (input.size > ctx.maxBytes) return { final: refused(input, `larger than ${formatBytes(ctx.maxBytes)}, the limit for one DICOM file`) };
  if (input.size === 0) return { final: refused(input, "empty file") };
  let original: Uint8Array;
  try {
    const read = await fsp.readFile(input.file);
    original = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
  } catch (error) {
    // A plain file is read without checking it exists first (one call less per file); a missing one was interrupted.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { final: refused(input, interrupted) };
    throw error;
  }
  // A plain file was hashed while it streamed in (used when its identity is the whole file's hash).
  const { result, output } = await deidentifyOffThread(ctx.preparer, input, original, input.sha256);
  return { input, result, output };
}

/** The duplicate checks and the write of one prepared file; call in upload order. */
async function settleFile(ctx: FileContext, prepared: PreparedFile): Promise<FileResult> {
  if ("final" in prepared) return prepared.final;
  const { input, result, output } = prepared;
  const identity = result.originalSha256;
  if (identity !== null) {
    const sameBytes = ctx.seen.bytes.get(identity);
    if (sameBytes !== undefined) return { ...refused(input, `same bytes as ${sameBytes}`, identity), status: "duplicate" };
    ctx.seen.bytes.set(identity, input.name);
  }
  if (!output) return result;
  const duplicate = sopDuplicate(ctx, result);
  if (duplicate) return duplicate;
  return writeProcessed(ctx.paths.dir, result, output);
}

/** The duplicate-by-image checks: a duplicate result, or null after recording the file as seen. */
function sopDuplicate(ctx: FileContext, result: FileResult): FileResult | null {
  const instance = result.instance!;
  if (ctx.existing.has(instance.sopInstanceUid)) return { ...result, status: "duplicate", reason: "this image is already in the case", processed: null };
  const sameSop = ctx.seen.sops.get(instance.sopInstanceUid);
  if (sameSop !== undefined) return { ...result, status: "duplicate", reason: `same image (SOPInstanceUID) as ${sameSop}`, processed: null };
  ctx.seen.sops.set(instance.sopInstanceUid, result.name);
  return null;
}

/**
 * A file de-identified on receipt: the same duplicate checks, in the same order, as a staged file gets. A
 * duplicate's processed bytes are deleted.
 */
async function checkPrepared(ctx: FileContext, prepared: FileResult): Promise<FileResult> {
  const drop = async (result: FileResult) => {
    if (prepared.processed) await fsp.rm(path.join(ctx.paths.dir, prepared.processed.file), { force: true });
    return result;
  };
  if (prepared.originalSha256) {
    const sameBytes = ctx.seen.bytes.get(prepared.originalSha256);
    if (sameBytes !== undefined) return drop({ ...refused(prepared, `same bytes as ${sameBytes}`, prepared.originalSha256), status: "duplicate" });
    ctx.seen.bytes.set(prepared.originalSha256, prepared.name);
  }
  if (prepared.status !== "accepted" || !prepared.instance) return prepared;
  const duplicate = sopDuplicate(ctx, prepared);
  return duplicate ? drop(duplicate) : prepared;
}
