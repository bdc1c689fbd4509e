import os from "node:os";
import { Worker } from "node:worker_threads";
import type { FileResult } from "./manifest";
import { createUploadPreparer, deidentifyFile, refusalReason, refused, type FileInput, type Preparer, type ProcessedOutput } from "./prepare";

/**
 * De-identification of uploads on worker threads: parsing, rewriting and hashing a file is CPU work (about 2 ms for
 * a 0.5 MB CT slice), and on the thread that also receives and writes uploads it set the pace of an upload. Each
 * file's bytes are transferred to a worker and back (no copy). The per-file timeout ends a worker stuck in a file,
 * which a timer on the same thread could not. Where no worker can start, files are prepared on this thread.
 */

export type PreparerOptions = { uidSalt: string; maxDecodedBytes: number; timeoutMs: number };
export type PoolTask = { id: number; options: PreparerOptions; input: FileInput; original: Uint8Array; knownSha256?: string };
/** A worker's answer to a task, or its first message, sent once its modules have loaded. */
export type PoolReply = { id: number; result: FileResult; output: ProcessedOutput | null } | { id: number; error: string } | { ready: true };
type Prepared = { result: FileResult; output: ProcessedOutput | null };
type Pending = { task: PoolTask; resolve: (prepared: Prepared) => void; reject: (error: unknown) => void };
type Slot = { worker: Worker; ready: boolean; busy: Pending | null; timer: NodeJS.Timeout | null };

// Two workers on a two-core machine: the receiving thread mostly waits on the disk meanwhile.
const size = Math.max(1, Math.min(4, os.availableParallelism()));
const slots: Slot[] = [];
const queue: Pending[] = [];
let nextId = 1;
let unavailable = false;
const inThread = new Map<string, Preparer>();

/**
 * {@link deidentifyFile} on a worker thread. The original's buffer is handed to the worker: the caller must not use
 * `original` afterwards except through the returned parts. Never throws for bad bytes.
 */
export function deidentifyOffThread(options: PreparerOptions, input: FileInput, original: Uint8Array, knownSha256?: string): Promise<Prepared> {
  if (unavailable) return deidentifyHere(options, input, original, knownSha256);
  // Only a buffer the view covers whole can be transferred (a small Buffer shares Node's pool): copy the rest.
  const whole = original.byteOffset === 0 && original.byteLength === original.buffer.byteLength && original.buffer instanceof ArrayBuffer;
  const task: PoolTask = { id: nextId++, options, input, original: whole ? original : original.slice(), knownSha256 };
  return new Promise((resolve, reject) => {
    queue.push({ task, resolve, reject });
    dispatch();
  });
}

/** Starts the workers ahead of the first file (an upload session opening), so its files do not wait for them to load. */
export function warmPreparers(): void {
  while (!unavailable && slots.length < size) slots.push(startWorker());
}

/** Workers running now, and whether files are prepared on this thread instead (no worker could start). */
export function poolStatus(): { workers: number; onThisThread: boolean } {
  return { workers: slots.length, onThisThread: unavailable };
}

function deidentifyHere(options: PreparerOptions, input: FileInput, original: Uint8Array, knownSha256?: string): Promise<Prepared> {
  const key = JSON.stringify(options);
  let preparer = inThread.get(key);
  if (!preparer) {
    preparer = createUploadPreparer(options);
    inThread.set(key, preparer);
  }
  return deidentifyFile(preparer, input, original, knownSha256);
}

function dispatch(): void {
  while (queue.length > 0) {
    if (unavailable) {
      for (const pending of queue.splice(0)) deidentifyHere(pending.task.options, pending.task.input, pending.task.original, pending.task.knownSha256).then(pending.resolve, pending.reject);
      return;
    }
    let slot = slots.find((s) => s.ready && !s.busy);
    if (!slot) {
      if (slots.length < size) slots.push(startWorker());
      return;
    }
    const pending = queue.shift()!;
    slot.busy = pending;
    slot.worker.ref();
    const { task } = pending;
    slot.timer = setTimeout(() => timedOut(slot!), task.options.timeoutMs);
    slot.worker.postMessage(task, [task.original.buffer as ArrayBuffer]);
  }
}

function startWorker(): Slot {
  const slot: Slot = { worker: newWorker(), ready: false, busy: null, timer: null };
  const { worker } = slot;
  worker.unref();
  worker.on("message", (reply: PoolReply) => {
    if ("ready" in reply) {
      slot.ready = true;
      dispatch();
      return;
    }
    const pending = slot.busy;
    if (!pending || pending.task.id !== reply.id) return;
    finish(slot);
    if ("error" in reply) pending.reject(new Error(reply.error));
    else pending.resolve({ result: reply.result, output: reply.output });
    dispatch();
  });
  worker.on("error", (cause: unknown) => lost(slot, cause instanceof Error ? cause : new Error(String(cause))));
  worker.on("exit", (code) => lost(slot, new Error(`the de-identification worker stopped (exit code ${code})`)));
  return slot;
}

function newWorker(): Worker {
  // A build bundles the worker as JavaScript. From source (tests, benchmarks and scripts run with tsx) it is
  // TypeScript, which a worker thread loads only after registering tsx itself (--import does not reach it).
  if (import.meta.url.endsWith(".ts")) {
    const entry = import.meta.url.replace(/prepare-pool\.ts$/u, "prepare-worker.ts");
    return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
  }
  return new Worker(new URL("./prepare-worker.ts", import.meta.url));
}

/** A file that took longer than the per-file timeout: refused, and its worker ended (it may be stuck in a loop). */
function timedOut(slot: Slot): void {
  const pending = slot.busy;
  if (!pending) return;
  remove(slot);
  void slot.worker.terminate();
  const { input, options, knownSha256 } = pending.task;
  pending.resolve({ result: refused(input, `processing took longer than ${Math.round(options.timeoutMs / 1000)} s`, knownSha256 ?? null), output: null });
  dispatch();
}

/** A worker that died: the file it had is refused (it made the worker fail), the rest go on elsewhere. */
function lost(slot: Slot, error: Error): void {
  const pending = slot.busy;
  if (!remove(slot)) return; // already handled (an error is followed by an exit)
  if (!slot.ready && !unavailable) {
    // The worker could not start (its modules did not load): prepare on this thread from now on.
    unavailable = true;
    console.warn(`casebook: upload workers unavailable, de-identifying on this thread (${error.message})`);
  }
  if (pending) {
    const { input, knownSha256 } = pending.task;
    pending.resolve({ result: refused(input, refusalReason(error), knownSha256 ?? null), output: null });
  }
  dispatch();
}

function finish(slot: Slot): void {
  if (slot.timer) clearTimeout(slot.timer);
  slot.timer = null;
  slot.busy = null;
  slot.worker.unref();
}

/** Takes a worker out of the pool; false when it was out already. */
function remove(slot: Slot): boolean {
  finish(slot);
  const at = slots.indexOf(slot);
  if (at < 0) return false;
  slots.splice(at, 1);
  return true;
}
