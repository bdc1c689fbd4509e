import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createUploadPreparer, deidentifyFile, sha256 } from "@/lib/uploads/prepare";
import { deidentifyOffThread, poolStatus, warmPreparers } from "@/lib/uploads/prepare-pool";
import { makeCtSlice } from "../../support/make-dicom";
import { testSalt } from "./upload-support";

const preparer = createUploadPreparer({ uidSalt: testSalt, maxDecodedBytes: 64 * 1024 ** 2, timeoutMs: 20_000 });
const input = { sourceId: "s", name: "n", size: 0 };
const study = "1.2.826.0.1.3680043.8.498.91";
const slice = (extra: Record<string, unknown> = {}) =>
  makeCtSlice({ studyUid: study, seriesUid: `${study}.1`, sopUid: `${study}.1.1`, frameOfReferenceUid: `${study}.9`, seriesDescription: "CT", seriesNumber: 1, instanceNumber: 1, z: 0, size: 64, extra });
const prepare = (bytes: Uint8Array) => deidentifyFile(preparer, { ...input, size: bytes.byteLength }, bytes);
const joined = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

describe("deidentifyFile: the identity of the original bytes (duplicate detection)", () => {
  it("is the same for the same bytes and differs when one pixel differs, with one hash pass over the pixels", async () => {
    const a = slice();
    const again = await prepare(new Uint8Array(a));
    const first = await prepare(a);
    expect(again.result.originalSha256).toBe(first.result.originalSha256);
    const flipped = new Uint8Array(a);
    flipped[flipped.byteLength - 10]! ^= 0x01;
    const other = await prepare(flipped);
    expect(other.result.status).toBe("accepted");
    expect(other.result.originalSha256).not.toBe(first.result.originalSha256);
    // The stored file's hash is the SHA-256 of the bytes that will be written.
    expect(first.output!.sha256).toBe(createHash("sha256").update(joined(first.output!.parts)).digest("hex"));
    expect(first.output!.size).toBe(joined(first.output!.parts).byteLength);
  });

  it("tells apart originals that differ only in what de-identification removes (same stored bytes)", async () => {
    const a = await prepare(slice({ InstitutionName: "Springfield General" }));
    const b = await prepare(slice({ InstitutionName: "Shelbyville Memorial" }));
    expect(b.output!.sha256).toBe(a.output!.sha256);
    expect(b.result.originalSha256).not.toBe(a.result.originalSha256);
  });

  it("is the SHA-256 of the whole original for refused and normalised files", async () => {
    const text = new TextEncoder().encode("not an image");
    expect((await prepare(text)).result).toMatchObject({ status: "refused", originalSha256: sha256(text) });
    const rle = new Uint8Array(await fsp.readFile(path.join(process.cwd(), "tests/fixtures/dicom/ct-16s.rle.dcm")));
    const decoded = await prepare(rle);
    expect(decoded.result).toMatchObject({ status: "accepted", originalSha256: sha256(rle) });
  });
});

describe("deidentifyOffThread: the same work on a worker thread", () => {
  const options = { uidSalt: testSalt, maxDecodedBytes: 64 * 1024 ** 2, timeoutMs: 20_000 };

  it("starts its workers ahead of the first file when asked", () => {
    warmPreparers();
    expect(poolStatus()).toEqual({ workers: Math.min(4, os.availableParallelism()), onThisThread: false });
  });

  it("gives the same result and bytes as this thread, and takes the original's buffer", async () => {
    const bytes = slice({ InstitutionName: "Springfield General" });
    const here = await prepare(new Uint8Array(bytes));
    const sent = new Uint8Array(bytes);
    const there = await deidentifyOffThread(options, { ...input, size: sent.byteLength }, sent);
    expect(poolStatus()).toMatchObject({ onThisThread: false });
    expect(poolStatus().workers).toBeGreaterThan(0);
    expect(sent.byteLength).toBe(0); // transferred, not copied
    expect({ ...there.result, id: "" }).toEqual({ ...here.result, id: "" });
    expect(joined(there.output!.parts).equals(joined(here.output!.parts))).toBe(true);
    expect(there.output!.sha256).toBe(here.output!.sha256);
  });

  it("refuses a file past the per-file timeout and replaces the worker it ended", async () => {
    const big = makeCtSlice({ studyUid: study, seriesUid: `${study}.1`, sopUid: `${study}.1.2`, frameOfReferenceUid: `${study}.9`, seriesDescription: "CT", seriesNumber: 1, instanceNumber: 2, z: 0, size: 512 });
    const slow = await deidentifyOffThread({ ...options, timeoutMs: 1 }, { ...input, size: big.byteLength }, big);
    expect(slow.result).toMatchObject({ status: "refused", reason: "processing took longer than 0 s" });
    const next = await deidentifyOffThread(options, { ...input, size: 0 }, slice());
    expect(next.result.status).toBe("accepted");
  });
});
