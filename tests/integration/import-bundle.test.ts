import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, count, eq } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { answerKeys, caseContent, cases, instances, keyImages, series, studies } from "@/db/schema";
import { BundleError, readBundleFolder } from "@/lib/cases/bundle";
import { runCaseImport } from "@/lib/cases/import-runner";
import { LocalFolderStorage } from "@/lib/storage";
import { fixtureAnswer, fixtureCaseYaml, plantedIdentifiers, writeFixtureBundle } from "../support/bundle-fixture";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
let storageDir: string;
let storage: LocalFolderStorage;

beforeAll(async () => {
  handle = await createTestDatabase();
  storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "casebook-storage-"));
  storage = new LocalFolderStorage(storageDir);
});
afterAll(async () => {
  await handle?.close();
  await fs.rm(storageDir, { recursive: true, force: true });
});

async function tableCounts() {
  const n = async (table: typeof cases | typeof caseContent | typeof answerKeys | typeof series | typeof instances | typeof keyImages | typeof studies) =>
    (await handle.db.select({ n: count() }).from(table))[0]!.n;
  return { cases: await n(cases), content: await n(caseContent), keys: await n(answerKeys), studies: await n(studies), series: await n(series), instances: await n(instances), keyImages: await n(keyImages) };
}

async function storedFiles(): Promise<string[]> {
  const entries = await fs.readdir(storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

describe(`bundle import on ${testEngine}`, () => {
  it("imports a bundle: case, hidden content, answer key, series sorted by position, key images", async () => {
    const dir = await writeFixtureBundle("fixture-case");
    const result = await runCaseImport(handle.db, storage, dir, { authorId: null });
    expect(result.outcomes).toEqual([{ slug: "fixture-case", status: "imported", series: 2, instances: 6, people: { author: null, shared: [], unmatched: [] } }]);
    const [c] = await handle.db.select().from(cases).where(eq(cases.slug, "fixture-case"));
    expect(c).toMatchObject({ status: "published", ageBucket: "30-39", sex: "F", modalities: ["CT"], difficulty: 2 });
    expect(c!.opensAt!.getTime()).toBeLessThan(Date.now());
    const [key] = await handle.db.select().from(answerKeys).where(eq(answerKeys.caseId, c!.id));
    expect(key).toMatchObject(fixtureAnswer);
    const seriesRows = await handle.db.select().from(series).where(eq(series.caseId, c!.id)).orderBy(asc(series.position));
    expect(seriesRows.map((s) => s.description)).toEqual(["CT AX SOFT TISSUE", "CT AX BONE"]);
    const slices = await handle.db.select().from(instances).where(eq(instances.seriesId, seriesRows[0]!.id)).orderBy(asc(instances.sortIndex));
    // Head first: highest z first, whatever the order of the files on disk.
    expect(slices.map((s) => s.imagePosition?.[2])).toEqual([0, -5, -10]);
    expect(slices.every((s) => s.transferSyntaxUid === "1.2.840.10008.1.2.1")).toBe(true);
    const [ki] = await handle.db.select().from(keyImages).where(eq(keyImages.caseId, c!.id));
    expect(ki!.annotations).toEqual([{ type: "arrow", from: [10, 10], to: [30, 30], text: "mass" }]);
  });

  it("stores de-identified bytes: no planted identifier and no source UID reaches storage", async () => {
    const files = await storedFiles();
    expect(files.length).toBe(6);
    for (const file of files) {
      const text = (await fs.readFile(file)).toString("latin1");
      for (const id of [...plantedIdentifiers, "1.2.826.0.1.3680043.8.498.1"]) expect(text).not.toContain(id);
      expect(text).toContain("YES"); // PatientIdentityRemoved
    }
  });

  it("is idempotent: a second import skips the case and writes nothing", async () => {
    const before = await tableCounts();
    const dir = await writeFixtureBundle("fixture-case");
    const result = await runCaseImport(handle.db, storage, dir, { authorId: null });
    expect(result.outcomes[0]!.status).toBe("skipped");
    expect(await tableCounts()).toEqual(before);
  });

  const malformed: [string, () => Promise<string>, RegExp][] = [
    ["bad YAML", () => writeFixtureBundle("bad-yaml", { caseYaml: "slug: bad-yaml\ntitle: [unclosed\n" }), /bad-yaml\/case\.yaml: line \d+.*invalid YAML/],
    ["a missing field", () => writeFixtureBundle("no-answer", { caseYaml: { ...fixtureCaseYaml("no-answer"), answer: undefined } }), /no-answer\/case\.yaml: answer: /],
    ["a wrong type", () => writeFixtureBundle("bad-type", { caseYaml: fixtureCaseYaml("bad-type", { difficulty: "hard" }) }), /bad-type\/case\.yaml: difficulty: /],
    [
      "a key image that names a missing DICOM image",
      () => writeFixtureBundle("bad-key", { keyImages: { key_images: [{ series: "CT AX SOFT TISSUE", instance: 99, annotations: [] }] } }),
      /bad-key\/key-images\.yaml: key_images\.0: no image 99/,
    ],
    ["a series description that gives the answer away", () => writeFixtureBundle("leaky", { seriesDescription: "EMH AXIAL" }), /SeriesDescription: "EMH AXIAL" gives the answer away/],
    [
      "a series name for a folder without images",
      () => writeFixtureBundle("no-folder", { caseYaml: fixtureCaseYaml("no-folder", { series: [{ folder: "s01", description: "CT AX" }] }) }),
      /no-folder\/case\.yaml: series\.0\.folder: no DICOM files in dicom\/s01\//,
    ],
    [
      "a series name that gives the answer away",
      () => writeFixtureBundle("leaky-name", { seriesFolders: true, caseYaml: fixtureCaseYaml("leaky-name", { series: [{ folder: "s02", description: "EMH AX" }] }) }),
      /leaky-name\/case\.yaml: series\.0\.description: "EMH AX" gives the answer away/,
    ],
    ["a co-author that is not an e-mail address", () => writeFixtureBundle("bad-person", { caseYaml: fixtureCaseYaml("bad-person", { co_authors: ["Dr Who"] }) }), /bad-person\/case\.yaml: co_authors\.0: use an e-mail address/],
  ];
  for (const [what, make, message] of malformed) {
    it(`refuses a bundle with ${what}, naming file and field, and writes nothing`, async () => {
      const before = await tableCounts();
      const filesBefore = await storedFiles();
      const dir = await make();
      const error = await runCaseImport(handle.db, storage, dir, { authorId: null }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BundleError);
      expect((error as Error).message).toMatch(message);
      expect(await tableCounts()).toEqual(before);
      expect(await storedFiles()).toEqual(filesBefore);
    });
  }

  it("names series by their folder when case.yaml names them, the rest keep their SeriesDescription", async () => {
    const dir = await writeFixtureBundle("named-series", { seriesFolders: true, caseYaml: fixtureCaseYaml("named-series", { series: [{ folder: "s02", description: "AX BONE WINDOW" }] }) });
    await runCaseImport(handle.db, storage, dir, { authorId: null });
    const [c] = await handle.db.select().from(cases).where(eq(cases.slug, "named-series"));
    const rows = await handle.db.select().from(series).where(eq(series.caseId, c!.id)).orderBy(asc(series.position));
    expect(rows.map((s) => s.description)).toEqual(["CT AX SOFT TISSUE", "AX BONE WINDOW"]);
    // Key images still find their series by the files' description.
    expect(await handle.db.select({ n: count() }).from(keyImages).where(eq(keyImages.caseId, c!.id))).toEqual([{ n: 1 }]);
  });

  it("refuses a bundle whose DICOM folder is empty, naming the folder", async () => {
    const dir = await writeFixtureBundle("no-images");
    await fs.rm(path.join(dir, "dicom"), { recursive: true });
    await expect(readBundleFolder(dir)).rejects.toThrow(/no-images\/dicom\/: no DICOM files/);
  });

  it("refuses a bundle with a file that is not DICOM, naming the file", async () => {
    const before = await tableCounts();
    const dir = await writeFixtureBundle("not-dicom");
    await fs.writeFile(path.join(dir, "dicom", "notes.dcm"), "these are not pixels");
    await expect(runCaseImport(handle.db, storage, dir, { authorId: null })).rejects.toThrow(/not-dicom\/dicom\/notes\.dcm: .*not a DICOM Part 10 file/);
    expect(await tableCounts()).toEqual(before);
  });
});
