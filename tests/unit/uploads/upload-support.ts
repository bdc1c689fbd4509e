import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import yazl from "yazl";
import { createUpload, receiveSource } from "@/lib/uploads/staging";
import { makeCtSlice } from "../../support/make-dicom";

export const testSalt = "upload-test-salt-0123456789";

/** A temporary staging root for one test file. */
export async function makeRoot(prefix = "casebook-uploads-"): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Opens a session and streams each [name, bytes] into it, as the PUT route does: with the salt, so plain files
 * are de-identified on receipt; `onReceipt: false` stages every file for processing instead (bodies of unknown
 * size, or a server without the salt).
 */
export async function stageFiles(
  root: string,
  files: [string, Uint8Array][],
  owner = { caseId: crypto.randomUUID(), userId: crypto.randomUUID() },
  options: { onReceipt?: boolean } = {},
) {
  const manifest = await createUpload(root, owner);
  for (const [name, bytes] of files) {
    // Several chunks, so the streaming path (limits, hashing, zip sniffing) is the one exercised.
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 4096) chunks.push(Buffer.from(bytes.subarray(i, i + 4096)));
    await receiveSource(root, manifest.id, { name, body: Readable.from(chunks.length ? chunks : [Buffer.alloc(0)]), declaredSize: bytes.length }, undefined, options.onReceipt === false ? {} : { uidSalt: testSalt });
  }
  return manifest.id;
}

/** A CT series of `count` dcmjs-written slices (out of order), with identifiers planted. */
export function ctSeries(options: { series: number; count: number; study?: string; description?: string; extra?: Record<string, unknown>; size?: number }): [string, Uint8Array][] {
  const study = options.study ?? "1.2.826.0.1.3680043.8.498.77";
  const zs = Array.from({ length: options.count }, (_, i) => -5 * i).reverse();
  return zs.map((z, i) => [
    `series${options.series}/slice-${i + 1}.dcm`,
    makeCtSlice({
      studyUid: study,
      seriesUid: `${study}.${options.series}`,
      sopUid: `${study}.${options.series}.${i + 1}`,
      frameOfReferenceUid: `${study}.9`,
      seriesDescription: options.description ?? `CT SERIES ${options.series}`,
      seriesNumber: options.series,
      instanceNumber: i + 1,
      z,
      size: options.size,
      extra: { PatientID: "MRN-PLANTED-4711", InstitutionName: "Springfield General", ...options.extra },
    }),
  ]);
}

/**
 * Writes a zip of [name, bytes] entries, names as given: yazl refuses traversal and absolute names, so they are
 * written under same-length placeholders and patched in the output ("@@" -> "..", "^" -> "/").
 */
export function zipBytes(entries: [string, Uint8Array][], options: { compress?: boolean; symlinks?: string[] } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const placeholder = (name: string) => name.replaceAll("..", "@@").replace(/^\//, "^");
  const patch = entries.some(([name]) => placeholder(name) !== name);
  for (const [name, data] of entries) {
    const mode = options.symlinks?.includes(name) ? 0o120777 : undefined;
    zip.addBuffer(Buffer.from(data), placeholder(name), { compress: options.compress ?? true, ...(mode ? { mode } : {}) });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => {
      let out = Buffer.concat(chunks);
      if (patch) out = Buffer.from(out.toString("latin1").replaceAll("@@", "..").replaceAll("^", "/"), "latin1");
      resolve(out);
    });
    zip.outputStream.on("error", reject);
  });
}

/** Every file below a folder (relative paths), sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  if (!fs.existsSync(dir)) return [];
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}
