/**
 * A priority queue for HTTP fetches with a concurrency limit. Lower priority numbers go first;
 * an aborted signal drops a queued job at once and cancels one in flight. Priority 0 (the image on
 * screen) goes out as a high-priority request and everything else as low, so when more fetches are
 * in flight than the browser has sockets, the browser itself serves the picture being waited for first.
 */

type Job = {
  url: string;
  priority: number;
  seq: number;
  signal: AbortSignal | undefined;
  resolve: (bytes: ArrayBuffer) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
};

export class LoadError extends Error {
  constructor(reason: string) {
    super(`This image could not be loaded: ${reason}`);
    this.name = "LoadError";
  }
}

export function abortError(): DOMException {
  return new DOMException("The load was cancelled", "AbortError");
}

export function isAbortError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: string }).name === "AbortError";
}

export class FetchQueue {
  private queued: Job[] = [];
  private active = 0;
  private seq = 0;

  constructor(
    private readonly limit: number,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** Number of fetches waiting and running, for tests and the debug overlay. */
  get stats(): { queued: number; active: number } {
    return { queued: this.queued.length, active: this.active };
  }

  /** Fetches `url` as bytes once a slot is free, in priority order. */
  fetch(url: string, priority: number, signal?: AbortSignal): Promise<ArrayBuffer> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const job: Job = {
        url, priority, seq: this.seq++, signal, resolve, reject,
        onAbort: () => {
          const i = this.queued.indexOf(job);
          if (i >= 0) {
            this.queued.splice(i, 1);
            reject(abortError());
          }
        },
      };
      signal?.addEventListener("abort", job.onAbort, { once: true });
      this.queued.push(job);
      this.schedulePump();
    });
  }

  /** Moves queued fetches of `url` to the front (the user is looking at that slice now). */
  prioritize(url: string, priority: number): void {
    for (const job of this.queued) if (job.url === url && job.priority > priority) job.priority = priority;
  }

  // Jobs added in the same tick (a whole stack's prefetch) are sorted before any starts.
  private pumpScheduled = false;
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.limit && this.queued.length > 0) {
      this.queued.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      const job = this.queued.shift()!;
      job.signal?.removeEventListener("abort", job.onAbort);
      this.active++;
      this.run(job).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      const response = await this.fetchImpl(job.url, { signal: job.signal, credentials: "same-origin", priority: job.priority === 0 ? "high" : "low" });
      if (!response.ok) throw new LoadError(`HTTP ${response.status} for ${job.url}`);
      job.resolve(await response.arrayBuffer());
    } catch (error) {
      job.reject(isAbortError(error) || error instanceof LoadError ? error : new LoadError(String(error)));
    }
  }
}
