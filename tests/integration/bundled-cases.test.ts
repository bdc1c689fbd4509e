import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import YAML from "yaml";
import type { DatabaseHandle } from "@/db/client";
import { cases, keyImages } from "@/db/schema";
import { CASE_DEFINITIONS } from "@/cases/generator/registry";
import { runCaseImport } from "@/lib/cases/import-runner";
import { LocalFolderStorage } from "@/lib/storage";
import { writeGeneratedBundle } from "../support/generated-bundle";
import { createTestDatabase, testEngine } from "../support/test-db";

let handle: DatabaseHandle;
let storage: LocalFolderStorage;

beforeAll(async () => {
  handle = await createTestDatabase();
  storage = new LocalFolderStorage(fs.mkdtempSync(path.join(os.tmpdir(), "casebook-bundled-")));
});
afterAll(async () => handle?.close());

describe(`the bundled cases on ${testEngine}`, () => {
  it("has a generator for every case folder and a case folder for every generator", () => {
    const folders = fs.readdirSync("cases").filter((d) => fs.existsSync(path.join("cases", d, "case.yaml")));
    expect(CASE_DEFINITIONS.map((d) => d.slug).sort()).toEqual(folders.sort());
  });

  for (const def of CASE_DEFINITIONS) {
    it(`${def.slug}: validates and imports with its key images`, async () => {
      const dir = writeGeneratedBundle(def);
      const result = await runCaseImport(handle.db, storage, dir, { authorId: null });
      expect(result.outcomes[0]).toMatchObject({ slug: def.slug, status: "imported" });
      expect(result.outcomes[0]!.series).toBeGreaterThanOrEqual(2);
      const expected = (YAML.parse(fs.readFileSync(path.join(dir, "key-images.yaml"), "utf8")) as { key_images: unknown[] }).key_images.length;
      expect(expected).toBeGreaterThanOrEqual(2);
      const [row] = await handle.db.select({ id: cases.id }).from(cases).where(eq(cases.slug, def.slug));
      const [{ n } = { n: 0 }] = await handle.db.select({ n: count() }).from(keyImages).where(eq(keyImages.caseId, row!.id));
      expect(n).toBe(expected);
    });
  }
});
