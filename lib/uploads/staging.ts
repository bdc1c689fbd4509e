import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { formatBytes } from "@/lib/format";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { UploadError } from "./errors";
import { uploadLimits } from "./limits";
import { manifestSchema, sourceSchema, type UploadManifest, type UploadSource } from "./manifest";
import { writeProcessed } from "./prepare";
import { deidentifyOffThread } from "./prepare-pool";

/**
 * Upload sessions live on disk, never in the database, until commit: `<root>/<id>/manifest.json` plus
 * `sources/` (bytes as received), `extracted/` (zip contents, transient) and `processed/` (de-identified bytes
 * waiting for commit). The manifest is replaced atomically (write then rename), so a crash leaves either the old
 * or the new one.
 */

const idSchema = z.string().uuid();

export type UploadPaths = { dir: string; manifest: string; journal: string; sources: string; extracted: string; processed: string };

/** The folders of one upload session. Refuses ids that are not UUIDs, so an id can never escape `root`. */
export function uploadPaths(root: string, id: string): UploadPaths {
  if (!idSchema.safeParse(id).success) throw new UploadError("not-found", "No such upload.");
  // Runtime folders, not build inputs: keep the bundler from tracing the whole project through them.
  const dir = path.join(/*turbopackIgnore: true*/ root, id);
  return { dir, manifest: path.join(dir, "manifest.json"), journal: path.join(dir, "received.ndjson"), sources: path.join(dir, "sources"), extracted: path.join(dir, "extracted"), processed: path.join(dir, "processed") };
}

// Manifest updates of one session are serialised within the process (parallel PUTs of one upload).
const queues = new Map<string, Promise<unknown>>();
function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

// The last manifest this process wrote or read, per session, keyed by the file's mtime and size: a long upload
// reads its manifest once per file, and parsing a large one each time would make uploads quadratic. Another
// process writing the file changes its mtime, so the cache never serves stale data.
// The journal's size is part of the key: received sources are appended to it (see recordSource).
const manifestCache = new Map<string, { mtimeMs: number; size: number; journalSize: number; manifest: UploadManifest }>();

async function journalSize(paths: UploadPaths): Promise<number> {
  return (await fsp.stat(/*turbopackIgnore: true*/ paths.journal).catch(() => undefined))?.size ?? 0;
}

/** Caches the manifest object just written; the caller hands it over and must not change it afterwards. */
async function remember(paths: UploadPaths, id: string, manifest: UploadManifest): Promise<void> {
  const stat = await fsp.stat(/*turbopackIgnore: true*/ paths.manifest).catch(() => undefined);
  if (stat) manifestCache.set(id, { mtimeMs: stat.mtimeMs, size: stat.size, journalSize: await journalSize(paths), manifest });
  else manifestCache.delete(id);
}

/**
 * Replaces the manifest (which then holds every journalled source) and empties the journal. A crash between the
 * two leaves journal lines the manifest already holds: replaying skips sources it knows by id.
 */
async function writeManifest(paths: UploadPaths, manifest: UploadManifest): Promise<void> {
  const temp = `${paths.manifest}.${randomUUID()}.tmp`;
  await fsp.writeFile(temp, JSON.stringify(manifest));
  await fsp.rename(temp, paths.manifest);
  await fsp.rm(paths.journal, { force: true });
  await remember(paths, manifest.id, manifest);
}

const journalLineSchema = z.object({ at: z.string(), source: sourceSchema });

/**
 * Applies the journal of received sources, from byte `from` on, to a manifest; returns the offset past the last
 * complete line read (a torn last line was never acknowledged, and is read again next time in case it was only
 * being written). Sources the manifest already holds are skipped.
 */
async function replayJournal(paths: UploadPaths, manifest: UploadManifest, from = 0): Promise<number> {
  let raw: Buffer;
  try {
    const file = await fsp.open(/*turbopackIgnore: true*/ paths.journal, "r");
    try {
      const size = (await file.stat()).size;
      raw = Buffer.alloc(Math.max(0, size - from));
      let read = 0;
      while (read < raw.length) {
        const { bytesRead } = await file.read(raw, read, raw.length - read, from + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      raw = raw.subarray(0, read);
    } finally {
      await file.close();
    }
  } catch {
    return from;
  }
  const complete = raw.lastIndexOf(0x0a) + 1;
  const known = new Set(manifest.sources.map((s) => s.id));
  for (const line of raw.toString("utf8", 0, complete).split("\n")) {
    if (!line) continue;
    let parsed;
    try {
      parsed = journalLineSchema.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (!parsed.success || known.has(parsed.data.source.id)) continue;
    known.add(parsed.data.source.id);
    manifest.sources.push(parsed.data.source);
    manifest.receivedBytes += parsed.data.source.size;
    manifest.updatedAt = parsed.data.at;
  }
  return from + complete;
}

/** Bytes reserved now by transfers received into memory (tests check it returns to zero). */
export function inMemoryBytes(): number {
  return memoryInUse;
}

/** Opens a new, empty upload session for one case and user. */
export async function createUpload(root: string, owner: { caseId: string; userId: string }, now = new Date()): Promise<UploadManifest> {
  const id = randomUUID();
  const paths = uploadPaths(root, id);
  await fsp.mkdir(paths.sources, { recursive: true });
  await fsp.mkdir(paths.processed, { recursive: true });
  const manifest: UploadManifest = {
    version: 1,
    id,
    caseId: owner.caseId,
    userId: owner.userId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    state: "open",
    receivedBytes: 0,
    sources: [],
    files: [],
    pendingBlobKeys: [],
    committed: null,
  };
  await writeManifest(paths, manifest);
  return structuredClone(manifest);
}

/**
 * Reads a session's manifest.
 * @throws UploadError not-found for unknown ids or a missing or unreadable manifest.
 */
export async function loadUpload(root: string, id: string): Promise<UploadManifest> {
  return structuredClone(await readManifest(root, id));
}

/**
 * The cached manifest object itself, not a copy: callers only read it, or change it under the session's lock
 * and write it. Cloning a manifest of thousands of files for each received file made uploads quadratic.
 */
async function readManifest(root: string, id: string): Promise<UploadManifest> {
  const paths = uploadPaths(root, id);
  const stat = await fsp.stat(/*turbopackIgnore: true*/ paths.manifest).catch(() => undefined);
  if (!stat) {
    manifestCache.delete(id);
    throw new UploadError("not-found", "No such upload.");
  }
  const journal = await journalSize(paths);
  const cached = manifestCache.get(id);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
    if (cached.journalSize === journal) return cached.manifest;
    // Only lines were appended since (this process's or another's): read those, not the whole journal again.
    if (journal > cached.journalSize) {
      cached.journalSize = await replayJournal(paths, cached.manifest, cached.journalSize);
      return cached.manifest;
    }
  }
  let raw: string;
  try {
    raw = await fsp.readFile(/*turbopackIgnore: true*/ paths.manifest, "utf8");
  } catch {
    throw new UploadError("not-found", "No such upload.");
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UploadError("not-found", "No such upload.");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new UploadError("not-found", "No such upload.");
  const replayed = await replayJournal(paths, parsed.data);
  manifestCache.set(id, { mtimeMs: stat.mtimeMs, size: stat.size, journalSize: replayed, manifest: parsed.data });
  return parsed.data;
}

/** Reads, changes and writes a manifest under the session's lock; returns what was written. */
export async function updateUpload(root: string, id: string, change: (m: UploadManifest) => void | Promise<void>): Promise<UploadManifest> {
  return structuredClone(await changeUpload(root, id, change));
}

/** {@link updateUpload} without the copy for the caller: returns the cached object, which only may be read. */
function changeUpload(root: string, id: string, change: (m: UploadManifest) => void | Promise<void>): Promise<Readonly<UploadManifest>> {
  return serialised(id, async () => {
    const manifest = await readManifest(root, id);
    try {
      await change(manifest);
    } catch (error) {
      // The change may have half-applied to the cached object: the file still holds the last good version.
      manifestCache.delete(id);
      throw error;
    }
    manifest.updatedAt = new Date().toISOString();
    try {
      await writeManifest(uploadPaths(root, id), manifest);
    } catch (error) {
      manifestCache.delete(id);
      throw error;
    }
    return manifest;
  });
}

const nameSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((n) => !/[\u0000-\u001f]/.test(n), "contains control characters");

/** The name an uploaded file is shown under (a relative path from a folder upload, say). Never a disk path. */
export function parseSourceName(name: unknown): string {
  const parsed = nameSchema.safeParse(name);
  if (!parsed.success) throw new UploadError("bad-request", "Each file needs a name (1 to 1024 characters, no control characters).");
  return parsed.data.replace(/\\/g, "/");
}

function isZipMagic(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/**
 * Receives one request body, counting and hashing on the way, and stops (413) as soon as the session's byte
 * budget is exceeded. A plain DICOM file of a known size up to `maxInMemoryFileBytes` (with `options.uidSalt`, and
 * while the in-memory budget of all transfers allows) is held in memory, de-identified and normalised there, and
 * only its processed bytes are written; everything else streams into `sources/` (one chunk in memory) and is
 * processed later.
 */
export async function receiveSource(
  root: string,
  id: string,
  input: { name: string; body: ReadableStream<Uint8Array> | Readable | null; declaredSize?: number | null },
  limits: { maxUploadBytes: number; maxFiles: number } = uploadLimits,
  /** With the installation's UID salt, plain files of a known size up to `maxInMemoryFileBytes` are de-identified on receipt. */
  options: { uidSalt?: string } = {},
): Promise<UploadSource> {
  const name = parseSourceName(input.name);
  const before = await readManifest(root, id);
  if (before.state !== "open") throw new UploadError("conflict", "This upload no longer accepts files.");
  if (before.sources.length >= limits.maxFiles) throw new UploadError("too-large", `An upload holds at most ${limits.maxFiles} files.`);
  const budget = limits.maxUploadBytes - before.receivedBytes;
  if (input.declaredSize !== undefined && input.declaredSize !== null && input.declaredSize > budget) {
    throw new UploadError("too-large", `This file would take the upload past ${formatBytes(limits.maxUploadBytes)}.`);
  }
  if (!input.body) throw new UploadError("bad-request", "The request has no body.");
  const paths = uploadPaths(root, id);
  const sourceId = randomUUID();
  const readable = input.body instanceof Readable ? input.body : Readable.fromWeb(input.body as import("node:stream/web").ReadableStream<Uint8Array>);
  const declared = input.declaredSize ?? null;
  // A plain file of a known, modest size is received into memory and de-identified there: only its processed bytes
  // are written. The memory all such transfers hold at once is bounded; past it, a transfer is staged on disk.
  if (options.uidSalt !== undefined && declared !== null && declared > 0 && declared <= uploadLimits.maxInMemoryFileBytes && reserveMemory(2 * declared)) {
    try {
      const buffered = await receiveIntoMemory(readable, declared, budget, limits.maxUploadBytes);
      // Zips and compressed (or big-endian) transfer syntaxes are staged as received: decoding is processing's job.
      if (isUncompressedPart10(buffered.bytes)) return await receivePrepared(root, id, { sourceId, name, ...buffered }, options.uidSalt, limits.maxUploadBytes);
      return await stageSource(root, id, { sourceId, name, body: Readable.from([buffered.bytes]), budget }, limits);
    } finally {
      releaseMemory(2 * declared); // the body and its processed copy
    }
  }
  return stageSource(root, id, { sourceId, name, body: readable, budget }, limits);
}

const uncompressedSyntaxes = new Set(["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]);

/**
 * Whether the bytes are a Part 10 file whose meta group names an uncompressed little-endian transfer syntax (a
 * quick look at the meta group only; the full structure check is the preparer's).
 */
function isUncompressedPart10(bytes: Buffer): boolean {
  if (bytes.length < 144 || bytes.toString("latin1", 128, 132) !== "DICM") return false;
  let at = 132;
  while (at + 8 <= bytes.length && bytes.readUInt16LE(at) === 0x0002) {
    const element = bytes.readUInt16LE(at + 2);
    const vr = bytes.toString("latin1", at + 4, at + 6);
    const long = ["OB", "OW", "OF", "SQ", "UT", "UN"].includes(vr);
    if (long && at + 12 > bytes.length) return false;
    const length = long ? bytes.readUInt32LE(at + 8) : bytes.readUInt16LE(at + 6);
    const start = at + (long ? 12 : 8);
    if (start + length > bytes.length) return false;
    if (element === 0x0010) return uncompressedSyntaxes.has(bytes.toString("latin1", start, start + length).replace(/[\0 ]+$/, ""));
    at = start + length;
  }
  return false;
}

// Bytes held by transfers being received into memory, in this process (twice each body: it and its processed copy).
let memoryInUse = 0;
function reserveMemory(bytes: number): boolean {
  if (memoryInUse + bytes > uploadLimits.inMemoryBudgetBytes) return false;
  memoryInUse += bytes;
  return true;
}
function releaseMemory(bytes: number): void {
  memoryInUse -= bytes;
}

/**
 * Reads a body of the declared size into one buffer (not hashed here: de-identification identifies it, see
 * deidentifyFile, with one pass over the pixels instead of two).
 * @throws UploadError too-large past the session's budget, bad-request when the body is longer than declared or
 * the transfer breaks.
 */
async function receiveIntoMemory(readable: Readable, declared: number, budget: number, maxUploadBytes: number): Promise<{ bytes: Buffer }> {
  const bytes = Buffer.allocUnsafe(declared);
  let size = 0;
  try {
    for await (const chunk of readable as AsyncIterable<Buffer>) {
      if (size + chunk.length > budget) throw new UploadError("too-large", `The upload is larger than ${formatBytes(maxUploadBytes)}.`);
      if (size + chunk.length > declared) throw new UploadError("bad-request", "The file is longer than its declared size.");
      bytes.set(chunk, size);
      size += chunk.length;
    }
  } catch (error) {
    readable.destroy();
    if (error instanceof UploadError) throw error;
    throw new UploadError("bad-request", "The file transfer was interrupted.");
  }
  return { bytes: size === declared ? bytes : bytes.subarray(0, size) };
}

/**
 * A plain file received in memory: de-identified and normalised right away (a refusal is recorded as its result),
 * the processed bytes written and hashed, and the source recorded with that result. Its original never reaches
 * the disk. Compressed or big-endian transfer syntaxes are decoded here too, within the per-file timeout.
 */
async function receivePrepared(root: string, id: string, input: { sourceId: string; name: string; bytes: Buffer }, uidSalt: string, maxUploadBytes: number): Promise<UploadSource> {
  const paths = uploadPaths(root, id);
  const file = { sourceId: input.sourceId, name: input.name, size: input.bytes.length };
  // The bytes go to a worker thread (and come back as the output's parts): `input.bytes` is not used after this.
  const options = { uidSalt, maxDecodedBytes: uploadLimits.maxDicomFileBytes, timeoutMs: uploadLimits.perFileTimeoutMs };
  const { result, output } = await deidentifyOffThread(options, file, new Uint8Array(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength));
  let prepared = result;
  if (output) {
    try {
      prepared = await writeProcessed(paths.dir, result, output);
    } catch (error) {
      // ENOENT: the session was cancelled while the file was being received.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UploadError("not-found", "No such upload.");
      throw error;
    }
  }
  const source: UploadSource = { id: input.sourceId, name: input.name, size: file.size, sha256: result.originalSha256 ?? "", kind: "file", processed: false, prepared };
  try {
    await recordSource(root, id, source, maxUploadBytes);
  } catch (error) {
    if (prepared.processed) await fsp.rm(path.join(paths.dir, prepared.processed.file), { force: true });
    throw error;
  }
  return source;
}

/** Streams one body into `sources/` (zips, large files, bodies of unknown size): processing reads it later. */
async function stageSource(
  root: string,
  id: string,
  input: { sourceId: string; name: string; body: Readable; budget: number },
  limits: { maxUploadBytes: number; maxFiles: number },
): Promise<UploadSource> {
  const { sourceId, name, budget } = input;
  const paths = uploadPaths(root, id);
  const part = path.join(paths.sources, `${sourceId}.part`);
  const hash = createHash("sha256");
  let size = 0;
  let head = Buffer.alloc(0);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > budget) return done(new UploadError("too-large", `The upload is larger than ${formatBytes(limits.maxUploadBytes)}.`));
      if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input.body, counter, fs.createWriteStream(part, { flags: "wx" }));
  } catch (error) {
    await fsp.rm(part, { force: true });
    if (error instanceof UploadError) throw error;
    throw new UploadError("bad-request", "The file transfer was interrupted.");
  }
  const source: UploadSource = {
    id: sourceId,
    name,
    size,
    sha256: hash.digest("hex"),
    kind: isZipMagic(head) ? "zip" : "file",
    processed: false,
  };
  try {
    await recordSource(root, id, source, limits.maxUploadBytes);
    await fsp.rename(part, sourcePath(paths, source.id));
  } catch (error) {
    await fsp.rm(part, { force: true });
    throw error;
  }
  return source;
}

type PendingSource = { source: UploadSource; maxUploadBytes: number; resolve: () => void; reject: (error: unknown) => void };
// Received files waiting for the manifest write that records them, per session.
const pendingSources = new Map<string, PendingSource[]>();

/**
 * Records a received source in the manifest; resolves once a manifest holding it is on disk. Files that finish
 * while an earlier write is in progress are recorded together in the next write (a group commit): parallel
 * transfers otherwise queue one whole manifest rewrite each behind the session's lock.
 */
function recordSource(root: string, id: string, source: UploadSource, maxUploadBytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiting = pendingSources.get(id);
    if (waiting) {
      waiting.push({ source, maxUploadBytes, resolve, reject });
      return;
    }
    const batch: PendingSource[] = [{ source, maxUploadBytes, resolve, reject }];
    pendingSources.set(id, batch);
    void serialised(id, async () => {
      if (pendingSources.get(id) === batch) pendingSources.delete(id); // later files start the next batch
      const recorded: PendingSource[] = [];
      try {
        const manifest = await readManifest(root, id);
        for (const item of batch) {
          if (manifest.state !== "open") item.reject(new UploadError("conflict", "This upload no longer accepts files."));
          else if (manifest.receivedBytes + item.source.size > item.maxUploadBytes) item.reject(new UploadError("too-large", `The upload is larger than ${formatBytes(item.maxUploadBytes)}.`));
          else {
            manifest.receivedBytes += item.source.size;
            manifest.sources.push(item.source);
            recorded.push(item);
          }
        }
        if (recorded.length === 0) return;
        manifest.updatedAt = new Date().toISOString();
        // Appended to the journal, not a rewrite of the whole manifest per batch (which grew with every file).
        const paths = uploadPaths(root, id);
        await fsp.appendFile(paths.journal, recorded.map((item) => `${JSON.stringify({ at: manifest.updatedAt, source: item.source })}\n`).join(""));
        const cached = manifestCache.get(id);
        if (cached?.manifest === manifest) cached.journalSize = await journalSize(paths);
      } catch (error) {
        manifestCache.delete(id); // the cached object may hold sources the file does not
        for (const item of batch) item.reject(error); // a no-op for those already refused
        return;
      }
      for (const item of recorded) item.resolve();
    });
  });
}

/** Where a received source's bytes are kept until processing. */
export function sourcePath(paths: UploadPaths, sourceId: string): string {
  return path.join(paths.sources, `${sourceId}.bin`);
}

// Sessions whose commit runs in this process right now: a "committing" manifest not listed was left by a crash.
const committing = new Set<string>();

/** Marks a commit as running in this process (commitUpload calls it); returns the function that ends it. */
export function markCommitting(id: string): () => void {
  committing.add(id);
  return () => committing.delete(id);
}

/** Whether a commit of this session runs in this process now. */
export function isCommitting(id: string): boolean {
  return committing.has(id);
}

/**
 * Removes a session and everything staged in it (cancel). A commit running now cannot be cancelled; a session a
 * crash left "committing" can, and the blobs that commit had written are handed to `releaseBlobs` first.
 */
export async function cancelUpload(root: string, id: string, options: { releaseBlobs?: (keys: string[]) => Promise<void> } = {}): Promise<void> {
  await serialised(id, async () => {
    const manifest = await loadUpload(root, id);
    if (manifest.state === "committing") {
      if (committing.has(id)) throw new UploadError("conflict", "This upload is being committed.");
      if (manifest.pendingBlobKeys.length && options.releaseBlobs) await options.releaseBlobs(manifest.pendingBlobKeys);
    }
    // A transfer finishing now may add a processed file while the folder is removed (ENOTEMPTY): try again; once
    // the folder is gone, such a write fails and the transfer answers "no such upload".
    await fsp.rm(uploadPaths(root, id).dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    manifestCache.delete(id);
  });
}

/**
 * Removes upload folders untouched for `staleAfterMs`. A folder left by a crash during commit lists the blobs it
 * had written; `releaseBlobs` gets them so unreferenced ones can be deleted from storage.
 */
export async function sweepStaleUploads(
  root: string,
  options: { now?: Date; staleAfterMs?: number; releaseBlobs?: (keys: string[]) => Promise<void> } = {},
): Promise<string[]> {
  const now = (options.now ?? new Date()).getTime();
  const staleAfter = options.staleAfterMs ?? uploadLimits.staleAfterMs;
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !idSchema.safeParse(entry.name).success) continue;
    const paths = uploadPaths(root, entry.name);
    let touched: number;
    let pending: string[] = [];
    try {
      const manifest = await loadUpload(root, entry.name);
      touched = Date.parse(manifest.updatedAt);
      if (manifest.state === "committing") pending = manifest.pendingBlobKeys;
    } catch {
      touched = (await fsp.stat(paths.dir).catch(() => undefined))?.mtimeMs ?? 0;
    }
    if (!(now - touched > staleAfter)) continue;
    if (pending.length && options.releaseBlobs) await options.releaseBlobs(pending);
    await fsp.rm(paths.dir, { recursive: true, force: true });
    manifestCache.delete(entry.name);
    removed.push(entry.name);
  }
  return removed;
}

