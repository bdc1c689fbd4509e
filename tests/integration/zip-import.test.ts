import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import yazl from "yazl";
import type { DatabaseHandle } from "@/db/client";
import { cases } from "@/db/schema";
import { BundleError } from "@/lib/cases/bundle";
import { runCaseImport } from "@/lib/cases/import-runner";
import { extractBundleZip } from "@/lib/cases/unzip-bundle";
import { LocalFolderStorage } from "@/lib/storage";
import { writeFixtureBundle } from "../support/bundle-fixture";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
let storage: LocalFolderStorage;
let work: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  work = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-zip-"));
  storage = new LocalFolderStorage(path.join(work, "storage"));
});
afterAll(async () => {
  await handle?.close();
  await fsp.rm(work, { recursive: true, force: true });
});

/** Writes a zip whose entries are [name, contents] pairs (names are written as given, traversal included). */
function writeZip(file: string, entries: [string, Buffer | string][], compress = true): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compress });
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on("close", resolve).on("error", reject);
  });
}

async function zipFolder(folder: string, file: string): Promise<void> {
  const entries: [string, Buffer][] = [];
  for (const entry of await fsp.readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    entries.push([path.join(path.basename(folder), path.relative(folder, full)), await fsp.readFile(full)]);
  }
  await writeZip(file, entries);
}

const caseCount = async () => (await handle.db.select({ n: count() }).from(cases))[0]!.n;

describe(`zip bundle import on ${testEngine}`, () => {
  it("imports a bundle from a zip archive", async () => {
    const folder = await writeFixtureBundle("zipped-case");
    const file = path.join(work, "zipped-case.zip");
    await zipFolder(folder, file);
    const result = await runCaseImport(handle.db, storage, file, { authorId: null });
    expect(result.outcomes).toEqual([{ slug: "zipped-case", status: "imported", series: 2, instances: 6, people: { author: null, shared: [], unmatched: [] } }]);
  });

  it("refuses entries that escape the bundle folder, writing nothing", async () => {
    const before = await caseCount();
    const file = path.join(work, "traversal.zip");
    // yazl refuses to write "../" names, so write a same-length placeholder and patch the bytes.
    await writeZip(file, [["case/case.yaml", "slug: case"], ["XX/XX/escaped.txt", "gotcha"]]);
    const bytes = await fsp.readFile(file);
    await fsp.writeFile(file, Buffer.from(bytes.toString("latin1").replaceAll("XX/XX/", "../../"), "latin1"));
    const error = await extractBundleZip(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as Error).message).toMatch(/traversal\.zip: .*path escapes the bundle folder|invalid relative path/);
    expect(fs.existsSync(path.join(os.tmpdir(), "escaped.txt"))).toBe(false);
    expect(await caseCount()).toBe(before);
  });

  it("refuses a zip bomb by its compression ratio", async () => {
    const file = path.join(work, "bomb.zip");
    await writeZip(file, [["bomb/zeros.bin", Buffer.alloc(50 * 1024 * 1024)]]);
    await expect(extractBundleZip(file)).rejects.toThrow(/bomb\.zip: bomb\/zeros\.bin: compression ratio is implausible/);
  });

  it("refuses a file that is not a zip archive", async () => {
    const file = path.join(work, "not.zip");
    await fsp.writeFile(file, "plain text");
    await expect(runCaseImport(handle.db, storage, file, { authorId: null })).rejects.toThrow(/not\.zip: not a readable zip archive/);
  });
});
