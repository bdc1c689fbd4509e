import fs from "node:fs";
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Several of these process real files: give them room on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });
import { groupUpload } from "@/lib/uploads/group";
import { processUpload } from "@/lib/uploads/process";
import { loadUpload, uploadPaths } from "@/lib/uploads/staging";
import { ctSeries, listFiles, makeRoot, stageFiles, testSalt, zipBytes } from "./upload-support";

let root: string;
beforeAll(async () => {
  root = await makeRoot();
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const fixture = (name: string) => fsp.readFile(path.join(process.cwd(), "tests/fixtures", name)).then((b) => new Uint8Array(b));

describe.each([
  { path: "plain files de-identified on receipt", onReceipt: true },
  { path: "every file staged", onReceipt: false },
])("upload processing ($path)", ({ onReceipt }) => {
  const stage = (files: [string, Uint8Array][]) => stageFiles(root, files, undefined, { onReceipt });

  it("accepts DICOM, refuses the rest with a reason, and groups series sorted by position", async () => {
    const files = [...ctSeries({ series: 2, count: 3 }), ...ctSeries({ series: 1, count: 4 })];
    const id = await stage([...files, ["notes.txt", new TextEncoder().encode("not an image")], ["cut.dcm", files[0]![1].subarray(0, 700)]]);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    expect(manifest.state).toBe("ready");
    const byName = new Map(manifest.files.map((f) => [f.name, f]));
    expect(byName.get("notes.txt")).toMatchObject({ status: "refused", reason: "not a DICOM Part 10 file" });
    expect(byName.get("cut.dcm")?.status).toBe("refused");
    expect(byName.get("cut.dcm")?.reason).toMatch(/truncated|corrupt|DICOM/);
    expect(manifest.files.filter((f) => f.status === "accepted")).toHaveLength(7);

    const studies = groupUpload(manifest.files);
    expect(studies).toHaveLength(1);
    expect(studies[0]!.series.map((s) => [s.seriesNumber, s.instanceCount])).toEqual([
      [1, 4],
      [2, 3],
    ]);
    // Highest z first whatever the upload order: slice-4 is z=0 in ctSeries.
    const first = studies[0]!.series[0]!;
    const positions = first.fileIds.map((fid) => manifest.files.find((f) => f.id === fid)!.instance!.imagePosition![2]);
    expect(positions).toEqual([0, -5, -10, -15]);
    // Descriptions were removed and are offered for review; UIDs were remapped.
    expect(first.description).toBe("");
    expect(first.reviewDescriptions).toContainEqual({ keyword: "SeriesDescription", value: "CT SERIES 1" });
    expect(first.seriesInstanceUid).not.toBe("1.2.826.0.1.3680043.8.498.77.1");
  });

  it("refuses a recorded file whose bytes a crash lost, and records each processed file's hash", async () => {
    const files = ctSeries({ series: 3, count: 2 });
    const id = await stageFiles(root, files, undefined, { onReceipt: false });
    const lost = (await loadUpload(root, id)).sources[0]!;
    await fsp.rm(path.join(uploadPaths(root, id).sources, `${lost.id}.bin`));
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    expect(manifest.files.find((f) => f.sourceId === lost.id)).toMatchObject({ status: "refused", reason: "processing was interrupted: upload this file again" });
    const kept = manifest.files.find((f) => f.status === "accepted")!;
    const bytes = await fsp.readFile(path.join(uploadPaths(root, id).dir, kept.processed!.file));
    expect(kept.processed!.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("deletes original bytes after processing and keeps only de-identified ones", async () => {
    const id = await stage(ctSeries({ series: 1, count: 2 }));
    await processUpload(root, id, { uidSalt: testSalt });
    const paths = uploadPaths(root, id);
    expect(await listFiles(paths.sources)).toEqual([]);
    const processed = await listFiles(paths.processed);
    expect(processed).toHaveLength(2);
    for (const file of processed) {
      const text = (await fsp.readFile(path.join(paths.processed, file))).toString("latin1");
      expect(text).not.toContain("MRN-PLANTED-4711");
      expect(text).not.toContain("Springfield General");
      expect(text).not.toContain("1.2.826.0.1.3680043.8.498.77");
    }
  });

  it("marks duplicates: the same bytes twice, and the same image re-encoded", async () => {
    const [a, b] = ctSeries({ series: 1, count: 2 });
    const ct = await fixture("dicom/ct-16s.dcm");
    const ctRle = await fixture("dicom/ct-16s.rle.dcm");
    const id = await stage([a!, b!, ["again.dcm", a![1]], ["ct.dcm", ct], ["ct-rle.dcm", ctRle]]);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    const byName = new Map(manifest.files.map((f) => [f.name, f]));
    expect(byName.get("again.dcm")).toMatchObject({ status: "duplicate", reason: `same bytes as ${a![0]}` });
    expect(byName.get("ct-rle.dcm")).toMatchObject({ status: "duplicate", reason: "same image (SOPInstanceUID) as ct.dcm" });
    expect(manifest.files.filter((f) => f.status === "accepted")).toHaveLength(3);
  });

  it("does not call files the same bytes when they differ only in what de-identification removes", async () => {
    const [[name, a]] = ctSeries({ series: 5, count: 1 }) as [[string, Uint8Array]];
    const [[, b]] = ctSeries({ series: 5, count: 1, extra: { InstitutionName: "Shelbyville Memorial" } }) as [[string, Uint8Array]];
    const manifest = await processUpload(root, await stage([[name, a], ["other.dcm", b]]), { uidSalt: testSalt });
    expect(manifest.files.map((f) => [f.status, f.reason])).toEqual([
      ["accepted", null],
      ["duplicate", `same image (SOPInstanceUID) as ${name}`],
    ]);
  });

  it("treats images already in the case as duplicates", async () => {
    const files = ctSeries({ series: 1, count: 2 });
    const first = await processUpload(root, await stage(files), { uidSalt: testSalt });
    const existing = new Set(first.files.map((f) => f.instance!.sopInstanceUid));
    const second = await processUpload(root, await stage(files), { uidSalt: testSalt, existingSopInstanceUids: existing });
    expect(second.files.map((f) => [f.status, f.reason])).toEqual([
      ["duplicate", "this image is already in the case"],
      ["duplicate", "this image is already in the case"],
    ]);
  });

  it("extracts zips entry by entry and names entries after the archive", async () => {
    const zip = await zipBytes([...ctSeries({ series: 3, count: 2 }), ["readme.txt", new TextEncoder().encode("hello")]]);
    const id = await stage([["scans.zip", zip]]);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    expect(manifest.sources[0]!.kind).toBe("zip");
    expect(manifest.files.map((f) => [f.name, f.status])).toEqual([
      ["scans.zip/series3/slice-1.dcm", "accepted"],
      ["scans.zip/series3/slice-2.dcm", "accepted"],
      ["scans.zip/readme.txt", "refused"],
    ]);
    expect(await listFiles(uploadPaths(root, id).extracted)).toEqual([]);
  });

  it("refuses a whole zip with traversal paths or a bomb, writing nothing outside", async () => {
    const [slice] = ctSeries({ series: 1, count: 1 });
    const traversal = await zipBytes([["../../escape.dcm", slice![1]]]);
    const bomb = await zipBytes([["zeros.bin", new Uint8Array(4 * 1024 * 1024)]]);
    const id = await stage([["evil.zip", traversal], ["bomb.zip", bomb]]);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    expect(manifest.files.map((f) => [f.name, f.status])).toEqual([
      ["evil.zip", "refused"],
      ["bomb.zip", "refused"],
    ]);
    // yauzl itself refuses some traversal names before our own check sees them.
    expect(manifest.files[0]!.reason).toMatch(/^zip archive refused: .*(path escapes the upload folder|invalid relative path)/);
    expect(manifest.files[1]!.reason).toBe("zip archive refused: zeros.bin: compression ratio is implausible (zip bomb?)");
    // Nowhere on the way up from the session's extraction folder (not a scan of all of /tmp, where other jobs'
    // folders come and go mid-scan).
    const session = uploadPaths(root, id);
    expect(await listFiles(root)).not.toContainEqual(expect.stringContaining("escape.dcm"));
    for (let dir = path.join(session.extracted, "x"); dir !== path.dirname(dir); dir = path.dirname(dir)) expect(fs.existsSync(path.join(dir, "escape.dcm"))).toBe(false);
  });

  it("flags series whose images may carry burned-in text", async () => {
    const id = await stage([...ctSeries({ series: 1, count: 2, extra: { BurnedInAnnotation: "YES" } }), ...ctSeries({ series: 2, count: 1 })]);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    const series = groupUpload(manifest.files)[0]!.series;
    expect(series.map((s) => [s.seriesNumber, s.heldForReview])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(series[0]!.burnedInReasons).toEqual(["BurnedInAnnotation is YES"]);
  });

  it("resumes a session a crash left in processing, without double results", async () => {
    const id = await stage(ctSeries({ series: 1, count: 2 }));
    const manifest = await loadUpload(root, id);
    // Simulate a crash: state says processing, one result recorded for a source not marked done.
    const { updateUpload } = await import("@/lib/uploads/staging");
    await updateUpload(root, id, (m) => {
      m.state = "processing";
      m.files.push({ id: "ghost", sourceId: manifest.sources[0]!.id, name: "ghost", size: 1, status: "refused", reason: "x", originalSha256: null, processed: null, instance: null, deid: null });
    });
    const done = await processUpload(root, id, { uidSalt: testSalt });
    expect(done.files.map((f) => f.status)).toEqual(["accepted", "accepted"]);
  });
});

describe("plain files de-identified on receipt", () => {
  it("never write the original: only de-identified bytes are on disk once the transfer is answered", async () => {
    const files = ctSeries({ series: 1, count: 3 });
    const id = await stageFiles(root, files);
    const paths = uploadPaths(root, id);
    const staged = await loadUpload(root, id);
    expect(staged.sources.every((s) => s.prepared?.status === "accepted" && !s.processed)).toBe(true);
    expect(await listFiles(paths.sources)).toEqual([]);
    const processed = await listFiles(paths.processed);
    expect(processed).toHaveLength(3);
    for (const file of processed) {
      const bytes = await fsp.readFile(path.join(paths.processed, file));
      const text = bytes.toString("latin1");
      expect(text).not.toContain("MRN-PLANTED-4711");
      expect(text).not.toContain("Springfield General");
      expect(text).not.toContain("1.2.826.0.1.3680043.8.498.77");
      expect(staged.sources.some((s) => s.prepared?.processed?.sha256 === createHash("sha256").update(bytes).digest("hex"))).toBe(true);
    }
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    expect(manifest.files.map((f) => f.status)).toEqual(["accepted", "accepted", "accepted"]);
    expect(manifest.sources.every((s) => s.processed)).toBe(true);
  });

  it("stage zips and compressed transfer syntaxes; a duplicate's processed bytes are deleted", async () => {
    const [a] = ctSeries({ series: 4, count: 1 });
    const zip = await zipBytes([a!]);
    const ctRle = await fixture("dicom/ct-16s.rle.dcm");
    const id = await stageFiles(root, [a!, ["again.dcm", a![1]], ["scans.zip", zip], ["ct-rle.dcm", ctRle], ["notes.txt", new TextEncoder().encode("not an image")]]);
    const paths = uploadPaths(root, id);
    const staged = await loadUpload(root, id);
    expect(staged.sources.map((s) => [s.name, s.kind, s.prepared?.status ?? null])).toEqual([
      [a![0], "file", "accepted"],
      ["again.dcm", "file", "accepted"],
      ["scans.zip", "zip", null],
      ["ct-rle.dcm", "file", null],
      ["notes.txt", "file", null],
    ]);
    expect(await listFiles(paths.sources)).toHaveLength(3);
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    // Plain files are processed two at a time: results come in the order they finish.
    expect(new Map(manifest.files.map((f) => [f.name, f.status]))).toEqual(
      new Map([
        [a![0], "accepted"],
        ["again.dcm", "duplicate"],
        ["ct-rle.dcm", "accepted"],
        ["notes.txt", "refused"],
        [`scans.zip/${a![0]}`, "duplicate"],
      ]),
    );
    expect(manifest.files.find((f) => f.name === "notes.txt")!.reason).toBe("not a DICOM Part 10 file");
    expect(await listFiles(paths.sources)).toEqual([]);
    // Only the two accepted files keep processed bytes.
    expect(await listFiles(paths.processed)).toHaveLength(2);
  });
});
