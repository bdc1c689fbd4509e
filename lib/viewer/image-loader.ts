import type { CornerstoneImage, ImageLoadObject } from "cornerstone-core";
import { createImage } from "./create-image";
import { abortError, FetchQueue, isAbortError } from "./fetch-queue";
import { parseImageId } from "./image-id";

/**
 * Fetches handed to the browser at once: HTTP/1.1 allows six sockets per host, and four more wait in the
 * browser's own network queue. A socket that finishes a file then starts the next one at once, instead of
 * idling until the page's main thread (busy building images) has seen the response and asked again; the
 * bench saw 4.1 to 5.5 of 6 sockets busy with exactly six. The on-screen image still goes first: the queue
 * keeps the order here, and sends it as the only high-priority request (fetch-queue.ts).
 */
export const MAX_CONCURRENT_FETCHES = 10;

export const fetchQueue = new FetchQueue(MAX_CONCURRENT_FETCHES);

export type LoadOptions = { priority?: number; signal?: AbortSignal };

// Multi-frame files: every frame id points at the same bytes, so the last few files are kept.
const recentFiles = new Map<string, Uint8Array>();
const RECENT_FILES = 2;

const loadedIds = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;
let notifyScheduled = false;

/** Subscribes to "images finished loading" (for progress bars). Returns the unsubscribe function. */
export function subscribeLoads(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Changes when images finished loading, at most once per animation frame (a series of 300 files would
 * otherwise re-render its progress bar 300 times); a snapshot for useSyncExternalStore.
 */
export function getLoadVersion(): number {
  return version;
}

function notifyListeners(): void {
  notifyScheduled = false;
  version++;
  for (const l of listeners) l();
}

/** How many of these image ids have loaded at least once. */
export function countLoaded(imageIds: readonly string[]): number {
  let n = 0;
  for (const id of imageIds) if (loadedIds.has(id)) n++;
  return n;
}

function markLoaded(imageId: string): void {
  if (loadedIds.has(imageId)) return;
  loadedIds.add(imageId);
  if (notifyScheduled) return;
  notifyScheduled = true;
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(notifyListeners);
  else setTimeout(notifyListeners, 0);
}

// One download per file however many frame ids ask for it; cancelled when the last asker leaves.
type InFlight = { promise: Promise<Uint8Array>; controller: AbortController; askers: number };
const inFlight = new Map<string, InFlight>();

function fetchBytes(url: string, priority: number, signal: AbortSignal): Promise<Uint8Array> {
  const recent = recentFiles.get(url);
  if (recent) return Promise.resolve(recent);
  if (signal.aborted) return Promise.reject(abortError());
  let entry = inFlight.get(url);
  if (!entry) {
    const controller = new AbortController();
    const promise = fetchQueue.fetch(url, priority, controller.signal).then((buffer) => {
      const bytes = new Uint8Array(buffer);
      recentFiles.set(url, bytes);
      while (recentFiles.size > RECENT_FILES) recentFiles.delete(recentFiles.keys().next().value as string);
      return bytes;
    });
    const created: InFlight = { promise, controller, askers: 0 };
    promise.then(
      () => inFlight.delete(url),
      () => inFlight.delete(url),
    );
    inFlight.set(url, created);
    entry = created;
  } else {
    fetchQueue.prioritize(url, priority);
  }
  const shared = entry;
  shared.askers++;
  return new Promise<Uint8Array>((resolve, reject) => {
    const onAbort = () => {
      shared.askers--;
      if (shared.askers === 0) shared.controller.abort();
      reject(abortError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    shared.promise.then(
      (bytes) => {
        signal.removeEventListener("abort", onAbort);
        shared.askers--;
        resolve(bytes);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        shared.askers--;
        reject(error);
      },
    );
  });
}

/**
 * The cornerstone image loader for `casebook:` ids: queued fetch (priority and abort signal come
 * from the caller's options), then the pure createImage.
 */
export function loadCasebookImage(imageId: string, options?: Record<string, unknown>): ImageLoadObject {
  const { url, frame } = parseImageId(imageId);
  const { priority = 10, signal } = (options ?? {}) as LoadOptions;
  const controller = new AbortController();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", () => controller.abort(), { once: true });
  }
  const promise = (async () => {
    const bytes = await fetchBytes(url, priority, controller.signal);
    const image = createImage(bytes, frame, imageId);
    if (image.meta.numberOfFrames === 1) recentFiles.delete(url);
    markLoaded(imageId);
    return image as unknown as CornerstoneImage;
  })();
  return { promise, cancelFn: () => controller.abort() };
}

let resolveFirstImage: () => void = () => {};
const firstImage = new Promise<void>((resolve) => {
  resolveFirstImage = resolve;
});

/** Called by a viewport when it has drawn its first image. */
export function markFirstImageShown(): void {
  resolveFirstImage();
}

/**
 * Resolves once some viewport has shown its first image (or after `timeoutMs`), so background
 * work such as thumbnails never competes with the picture the user is waiting for.
 */
export function afterFirstImage(timeoutMs = 3000): Promise<void> {
  return Promise.race([firstImage, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
}

/** Raises the priority of a queued image (the one the user is waiting for). */
export function prioritizeImage(imageId: string, priority = 0): void {
  fetchQueue.prioritize(parseImageId(imageId).url, priority);
}

export { isAbortError };
