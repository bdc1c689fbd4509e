import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchQueue, isAbortError, LoadError } from "@/lib/viewer/fetch-queue";

// A real HTTP server on loopback: each response waits `?ms=` and records when it started.
let server: Server;
let base = "";
let active = 0;
let maxActive = 0;
const started: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/missing") {
      res.writeHead(404).end();
      return;
    }
    started.push(url.searchParams.get("name") ?? "");
    active++;
    maxActive = Math.max(maxActive, active);
    setTimeout(() => {
      active--;
      res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(Buffer.from(url.searchParams.get("name") ?? ""));
    }, Number(url.searchParams.get("ms") ?? "30"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("FetchQueue", () => {
  it("never runs more fetches than its limit and serves lower priority numbers first", async () => {
    started.length = 0;
    maxActive = 0;
    const queue = new FetchQueue(2);
    const names = ["p5", "p9", "p1", "p0", "p3"];
    const priorities = [5, 9, 1, 0, 3];
    const results = await Promise.all(names.map((n, i) => queue.fetch(`${base}/f?name=${n}`, priorities[i]!)));
    expect(results.map((b) => Buffer.from(b).toString())).toEqual(names);
    expect(maxActive).toBeLessThanOrEqual(2);
    // Jobs queued in the same tick are sorted before the first one starts.
    expect(started).toEqual(["p0", "p1", "p3", "p5", "p9"]);
  });

  it("drops queued fetches when their signal aborts and lets the others finish", async () => {
    const queue = new FetchQueue(1);
    const controller = new AbortController();
    const first = queue.fetch(`${base}/f?name=a&ms=80`, 0);
    const cancelled = queue.fetch(`${base}/f?name=b`, 1, controller.signal);
    const kept = queue.fetch(`${base}/f?name=c`, 2);
    controller.abort();
    await expect(cancelled).rejects.toSatisfy(isAbortError);
    expect(queue.stats.queued).toBe(1);
    expect(Buffer.from(await first).toString()).toBe("a");
    expect(Buffer.from(await kept).toString()).toBe("c");
  });

  it("aborts a fetch in flight", async () => {
    const queue = new FetchQueue(1);
    const controller = new AbortController();
    const running = queue.fetch(`${base}/f?name=slow&ms=500`, 0, controller.signal);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(running).rejects.toSatisfy(isAbortError);
  });

  it("moves a queued url forward on request", async () => {
    started.length = 0;
    const queue = new FetchQueue(1);
    const all = [queue.fetch(`${base}/f?name=x&ms=40`, 0), queue.fetch(`${base}/f?name=y`, 5), queue.fetch(`${base}/f?name=z`, 6)];
    await new Promise((r) => setTimeout(r, 10)); // x is running, y and z wait
    queue.prioritize(`${base}/f?name=z`, 1);
    await Promise.all(all);
    expect(started).toEqual(["x", "z", "y"]);
  });

  it("reports HTTP errors as a LoadError the viewport can show", async () => {
    const queue = new FetchQueue(1);
    await expect(queue.fetch(`${base}/missing`, 0)).rejects.toThrow(LoadError);
    await expect(queue.fetch(`${base}/missing`, 0)).rejects.toThrow(/could not be loaded: HTTP 404/);
  });
});
