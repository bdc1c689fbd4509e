import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Several of these process real files: give them room on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });
import { UploadError } from "@/lib/uploads/errors";
import { uploadLimits } from "@/lib/uploads/limits";
import { cancelUpload, createUpload, inMemoryBytes, loadUpload, markCommitting, parseSourceName, receiveSource, sweepStaleUploads, updateUpload, uploadPaths } from "@/lib/uploads/staging";
import { ctSeries, listFiles, makeRoot, testSalt } from "./upload-support";

let root: string;
beforeAll(async () => {
  root = await makeRoot();
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const owner = () => ({ caseId: crypto.randomUUID(), userId: crypto.randomUUID() });

/** An endless body: only a streaming receiver with a byte limit can return from it. */
function endless(chunkSize = 64 * 1024): Readable {
  const chunk = Buffer.alloc(chunkSize, 7);
  return new Readable({
    read() {
      this.push(chunk);
    },
  });
}

describe("upload staging", () => {
  it("streams a body to disk, hashing it and sniffing zips", async () => {
    const m = await createUpload(root, owner());
    const zipHead = Buffer.from([0x50, 0x4b, 3, 4, 1, 2, 3]);
    const a = await receiveSource(root, m.id, { name: "a/b.dcm", body: Readable.from([Buffer.from("hello "), Buffer.from("world")]) });
    const z = await receiveSource(root, m.id, { name: "x.zip", body: Readable.from([zipHead.subarray(0, 2), zipHead.subarray(2)]) });
    expect(a).toMatchObject({ name: "a/b.dcm", size: 11, kind: "file", sha256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9" });
    expect(z.kind).toBe("zip");
    const reread = await loadUpload(root, m.id);
    expect(reread.receivedBytes).toBe(18);
    expect(await listFiles(uploadPaths(root, m.id).sources)).toEqual([`${a.id}.bin`, `${z.id}.bin`].sort());
  });

  it("stops an endless body at the byte limit with 413 and leaves no partial file", async () => {
    const m = await createUpload(root, owner());
    const error = await receiveSource(root, m.id, { name: "big.dcm", body: endless() }, { maxUploadBytes: 1024 * 1024, maxFiles: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ code: "too-large" });
    expect(await listFiles(uploadPaths(root, m.id).sources)).toEqual([]);
    expect((await loadUpload(root, m.id)).receivedBytes).toBe(0);
  });

  it("counts the limit over the whole session and refuses a declared size up front", async () => {
    const m = await createUpload(root, owner());
    const limits = { maxUploadBytes: 100, maxFiles: 2 };
    await receiveSource(root, m.id, { name: "one", body: Readable.from([Buffer.alloc(60)]) }, limits);
    await expect(receiveSource(root, m.id, { name: "two", body: Readable.from([Buffer.alloc(60)]) }, limits)).rejects.toMatchObject({ code: "too-large" });
    await expect(receiveSource(root, m.id, { name: "two", body: null, declaredSize: 41 }, limits)).rejects.toMatchObject({ code: "too-large" });
    await receiveSource(root, m.id, { name: "two", body: Readable.from([Buffer.alloc(40)]) }, limits);
    await expect(receiveSource(root, m.id, { name: "three", body: Readable.from([Buffer.alloc(0)]) }, limits)).rejects.toThrow(/at most 2 files/);
  });

  it("records parallel transfers together, each once, and refuses only the file that passes the limit", async () => {
    const m = await createUpload(root, owner());
    const limits = { maxUploadBytes: 11 * 10, maxFiles: 100 };
    // Twelve transfers of 10 bytes at once: they finish while earlier manifest writes run, so writes group them.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => receiveSource(root, m.id, { name: `f${i}`, body: Readable.from([Buffer.alloc(10, i)]) }, limits)),
    );
    const received = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const refused = results.filter((r) => r.status === "rejected").map((r) => r.reason as UploadError);
    expect(received).toHaveLength(11);
    expect(refused.map((e) => e.code)).toEqual(["too-large"]);
    const reread = await loadUpload(root, m.id);
    expect(reread.receivedBytes).toBe(110);
    expect(reread.sources.map((s) => s.id).sort()).toEqual(received.map((s) => s.id).sort());
    expect(await listFiles(uploadPaths(root, m.id).sources)).toEqual(received.map((s) => `${s.id}.bin`).sort());
  });

  it("keeps names as labels only and refuses ids that are not UUIDs", async () => {
    expect(parseSourceName("folder\\sub\\x.dcm")).toBe("folder/sub/x.dcm");
    expect(() => parseSourceName("")).toThrow(UploadError);
    expect(() => parseSourceName("a\u0000b")).toThrow(UploadError);
    expect(() => uploadPaths(root, "../../etc")).toThrow(UploadError);
    await expect(loadUpload(root, crypto.randomUUID())).rejects.toMatchObject({ code: "not-found" });
  });

  it("cancel removes everything staged", async () => {
    const m = await createUpload(root, owner());
    await receiveSource(root, m.id, { name: "a", body: Readable.from([Buffer.from("x")]) });
    await cancelUpload(root, m.id);
    await expect(fsp.access(uploadPaths(root, m.id).dir)).rejects.toThrow();
  });

  it("cancels a session a crashed commit left behind, releasing its blobs, but never a running commit", async () => {
    const m = await createUpload(root, owner());
    await updateUpload(root, m.id, (x) => {
      x.state = "committing";
      x.pendingBlobKeys = ["dicom/bb/blob.dcm"];
    });
    const end = markCommitting(m.id);
    await expect(cancelUpload(root, m.id)).rejects.toMatchObject({ code: "conflict" });
    end();
    const released: string[] = [];
    await cancelUpload(root, m.id, { releaseBlobs: async (keys) => void released.push(...keys) });
    expect(released).toEqual(["dicom/bb/blob.dcm"]);
    await expect(loadUpload(root, m.id)).rejects.toMatchObject({ code: "not-found" });
  });

  it("sweeps sessions older than a day and releases the blobs of a crashed commit", async () => {
    const fresh = await createUpload(root, owner());
    const old = await createUpload(root, owner(), new Date(Date.now() - 3 * 86_400_000));
    const crashed = await createUpload(root, owner());
    await updateUpload(root, crashed.id, (m) => {
      m.state = "committing";
      m.pendingBlobKeys = ["dicom/aa/blob.dcm"];
    });
    // updateUpload stamps the time: age the crashed one by hand.
    const file = uploadPaths(root, crashed.id).manifest;
    const json = JSON.parse(await fsp.readFile(file, "utf8")) as { updatedAt: string };
    json.updatedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await fsp.writeFile(file, JSON.stringify(json));
    await fsp.mkdir(path.join(root, "not-an-upload"));
    const released: string[] = [];
    const removed = await sweepStaleUploads(root, { releaseBlobs: async (keys) => void released.push(...keys) });
    expect(removed.sort()).toEqual([old.id, crashed.id].sort());
    expect(released).toEqual(["dicom/aa/blob.dcm"]);
    await expect(loadUpload(root, fresh.id)).resolves.toMatchObject({ state: "open" });
  });
});

describe("the journal of received files", () => {
  it("records received files by appending, replays them after the cache is gone, ignores a torn line and repeats", async () => {
    const m = await createUpload(root, owner());
    const paths = uploadPaths(root, m.id);
    const a = await receiveSource(root, m.id, { name: "a", body: Readable.from([Buffer.from("aaa")]) });
    const b = await receiveSource(root, m.id, { name: "b", body: Readable.from([Buffer.from("bbbb")]) });
    expect(JSON.parse(await fsp.readFile(paths.manifest, "utf8")).sources).toEqual([]);
    const journal = await fsp.readFile(paths.journal, "utf8");
    // A crash mid-append leaves a torn line; a crash after a manifest rewrite leaves lines it already holds.
    await fsp.appendFile(paths.journal, `${journal.split("\n")[0]}\n{"at":"2026-`);
    const reread = await loadUpload(root, m.id);
    expect(reread.sources.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(reread.receivedBytes).toBe(7);
    // Any other change folds the journal into the manifest.
    await updateUpload(root, m.id, (x) => {
      x.state = "processing";
    });
    await expect(fsp.stat(paths.journal)).rejects.toMatchObject({ code: "ENOENT" });
    expect(JSON.parse(await fsp.readFile(paths.manifest, "utf8")).sources.map((s: { id: string }) => s.id)).toEqual([a.id, b.id]);
  });
});

describe("receiving plain files into memory", () => {
  const salt = { uidSalt: testSalt };

  it("refuses a body longer than declared, and past the session budget, writing nothing and releasing the memory", async () => {
    const m = await createUpload(root, owner());
    const [[, slice]] = ctSeries({ series: 1, count: 1 }) as [[string, Uint8Array]];
    const long = receiveSource(root, m.id, { name: "long.dcm", body: Readable.from([Buffer.from(slice)]), declaredSize: slice.length - 10 }, undefined, salt);
    await expect(long).rejects.toMatchObject({ code: "bad-request" });
    const limits = { maxUploadBytes: slice.length - 1, maxFiles: 10 };
    const over = receiveSource(root, m.id, { name: "over.dcm", body: Readable.from([Buffer.from(slice)]), declaredSize: slice.length - 1 }, limits, salt);
    await expect(over).rejects.toMatchObject({ code: "too-large" });
    const tooBig = receiveSource(root, m.id, { name: "big.dcm", body: endless(), declaredSize: 1024 * 1024 }, { maxUploadBytes: 512 * 1024, maxFiles: 10 }, salt);
    await expect(tooBig).rejects.toMatchObject({ code: "too-large" });
    expect(inMemoryBytes()).toBe(0);
    const paths = uploadPaths(root, m.id);
    expect([...(await listFiles(paths.sources)), ...(await listFiles(paths.processed))]).toEqual([]);
    expect((await loadUpload(root, m.id)).sources).toEqual([]);
  });

  it("stages a transfer that the in-memory budget cannot hold now, and one of unknown size", async () => {
    const m = await createUpload(root, owner());
    const files = ctSeries({ series: 1, count: 3 });
    // Transfers that have not sent their bodies hold their reservations (twice the body: it and its processed
    // copy): the others in flight share what is left, room for one more slice here.
    const waiting = [new Readable({ read() {} }), new Readable({ read() {} })];
    const sizes = [uploadLimits.maxInMemoryFileBytes, uploadLimits.inMemoryBudgetBytes / 2 - uploadLimits.maxInMemoryFileBytes - files[0]![1].length];
    const slow = waiting.map((body, i) => receiveSource(root, m.id, { name: `slow-${i}.dcm`, body, declaredSize: sizes[i] }, undefined, salt).catch((e: unknown) => e));
    await vi.waitFor(() => expect(inMemoryBytes()).toBe(uploadLimits.inMemoryBudgetBytes - 2 * files[0]![1].length));
    const [a, b] = await Promise.all(
      files.slice(0, 2).map(([name, bytes]) => receiveSource(root, m.id, { name, body: Readable.from([Buffer.from(bytes)]), declaredSize: bytes.length }, undefined, salt)),
    );
    const unknown = await receiveSource(root, m.id, { name: files[2]![0], body: Readable.from([Buffer.from(files[2]![1])]) }, undefined, salt);
    for (const body of waiting) body.destroy();
    for (const error of await Promise.all(slow)) expect(error).toMatchObject({ code: "bad-request" });
    expect(inMemoryBytes()).toBe(0);
    // One of the two fit beside the slow transfer; the other was staged on disk, as was the one of unknown size.
    expect([a!.prepared ? 1 : 0, b!.prepared ? 1 : 0].reduce((x, y) => x + y)).toBe(1);
    expect(unknown.prepared).toBeUndefined();
    expect(await listFiles(uploadPaths(root, m.id).sources)).toHaveLength(2);
    expect(await listFiles(uploadPaths(root, m.id).processed)).toHaveLength(1);
  });

  it("a cancel while files arrive leaves nothing behind", async () => {
    const m = await createUpload(root, owner());
    const files = ctSeries({ series: 1, count: 6 });
    const transfers = files.map(([name, bytes]) => receiveSource(root, m.id, { name, body: Readable.from([Buffer.from(bytes)]), declaredSize: bytes.length }, undefined, salt).catch((e: unknown) => e));
    await cancelUpload(root, m.id);
    await Promise.all(transfers);
    await new Promise((r) => setTimeout(r, 50));
    expect(await listFiles(uploadPaths(root, m.id).dir)).toEqual([]);
    expect(inMemoryBytes()).toBe(0);
  });
});
