import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImage } from "@/lib/viewer/create-image";
import { buildImageId } from "@/lib/viewer/image-id";
import { countLoaded, isAbortError, loadCasebookImage } from "@/lib/viewer/image-loader";

// The loader against a real HTTP server on loopback, serving a real 16-frame file.
const file = readFileSync(new URL("../../fixtures/dicom/mf-8u.dcm", import.meta.url));
let server: Server;
let base = "";
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith("/missing")) {
      res.writeHead(404).end();
      return;
    }
    // A little latency so several frame requests overlap.
    setTimeout(() => res.writeHead(200, { "Content-Type": "application/dicom" }).end(file), 40);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("casebook image loader", () => {
  it("downloads a multi-frame file once for all its frame ids and builds each frame", async () => {
    const url = `${base}/mf-a.dcm`;
    const ids = [0, 1, 15].map((f) => buildImageId(url, f));
    const images = await Promise.all(ids.map((id) => loadCasebookImage(id).promise));
    expect(hits.get("/mf-a.dcm")).toBe(1);
    images.forEach((image, i) => {
      const expected = createImage(new Uint8Array(file), [0, 1, 15][i]!);
      expect(image.imageId).toBe(ids[i]);
      expect(Array.from(image.getPixelData())).toEqual(Array.from(expected.getPixelData()));
    });
    expect(countLoaded(ids)).toBe(3);
  });

  it("keeps a shared download alive while one asker remains, and cancels it when the last leaves", async () => {
    const url = `${base}/mf-b.dcm`;
    const leaving = new AbortController();
    const staying = new AbortController();
    const a = loadCasebookImage(buildImageId(url, 2), { signal: leaving.signal }).promise;
    const b = loadCasebookImage(buildImageId(url, 3), { signal: staying.signal }).promise;
    leaving.abort();
    await expect(a).rejects.toSatisfy(isAbortError);
    expect((await b).rows).toBe(48);

    const gone = new AbortController();
    const c = loadCasebookImage(buildImageId(`${base}/mf-c.dcm`, 0), { signal: gone.signal });
    c.cancelFn?.();
    await expect(c.promise).rejects.toSatisfy(isAbortError);
  });

  it("rejects with the HTTP status for a missing file", async () => {
    await expect(loadCasebookImage(buildImageId(`${base}/missing.dcm`)).promise).rejects.toThrow(/could not be loaded: HTTP 404/);
  });
});
