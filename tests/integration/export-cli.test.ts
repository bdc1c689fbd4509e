import { spawnSync } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { CASE_DEFINITIONS } from "@/cases/generator/registry";
import { LocalFolderStorage } from "@/lib/storage";
import { caseSnapshot } from "../support/case-snapshot";
import { writeGeneratedBundle } from "../support/generated-bundle";
import { createTestDatabaseEnv, testEngine } from "../support/test-db";

const def = CASE_DEFINITIONS.find((d) => d.slug === "emh-epidural-thoracic")!;

let work: string;
let source: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
let target: Awaited<ReturnType<typeof createTestDatabaseEnv>>;

/** Runs one npm script entry point the way `npm run <script> -- args` does. */
function run(script: "import-cases" | "export-cases", args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    env: { ...process.env, ...env, NODE_ENV: "test" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-export-cli-"));
  source = await createTestDatabaseEnv(path.join(work, "source"));
  target = await createTestDatabaseEnv(path.join(work, "target"));
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  await fsp.rm(work, { recursive: true, force: true });
});

describe(`npm run cases:export on ${testEngine}`, () => {
  it("exports a bundled case by number, imports it elsewhere with cases:import, and the case is the same", async () => {
    const imported = run("import-cases", [writeGeneratedBundle(def, [2, 3])], source.env);
    expect(imported.out).toMatch(new RegExp(`imported\\s+${def.slug}`));
    const zip = path.join(work, "out", `${def.slug}.zip`);
    await fsp.mkdir(path.dirname(zip));
    const exported = run("export-cases", ["1", zip], source.env);
    expect(exported.out).toMatch(new RegExp(`exported ${def.slug}: \\d+ images`));
    expect(exported.out).toContain("0 co-authors named by e-mail; 0 submissions not included (bundles never carry residents' answers)");
    expect(exported.status).toBe(0);
    expect(fs.readdirSync(path.dirname(zip))).toEqual([`${def.slug}.zip`]); // no temporary file left beside it

    const again = run("import-cases", [zip], target.env);
    expect(again.status).toBe(0);
    expect(again.out).toMatch(new RegExp(`imported\\s+${def.slug}`));
    expect(again.out).toContain("Submissions are not part of bundles");
    const twice = run("import-cases", [zip], target.env);
    expect(twice.status).toBe(0);
    expect(twice.out).toMatch(new RegExp(`skipped\\s+${def.slug}\\s+already in the database, nothing written`));

    const [a, b] = [await source.open(), await target.open()];
    try {
      const before = await caseSnapshot(a.db, new LocalFolderStorage(source.env.CASEBOOK_STORAGE_DIR!), def.slug);
      const after = await caseSnapshot(b.db, new LocalFolderStorage(target.env.CASEBOOK_STORAGE_DIR!), def.slug);
      expect(before.keyImages.length).toBeGreaterThanOrEqual(2);
      expect(after).toEqual(before);
      const audits = await a.db.select().from(auditLog).where(and(eq(auditLog.action, "case.export"), eq(auditLog.entity, "case")));
      expect(audits).toHaveLength(1);
      expect(audits[0]!.detail).toMatchObject({ slug: def.slug, via: "cli" });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("names an unknown case and a wrong call, writing nothing", () => {
    const out = path.join(work, "none.zip");
    const unknown = run("export-cases", ["no-such-case", out], source.env);
    expect(unknown.status).toBe(1);
    expect(unknown.out).toContain('No case "no-such-case"');
    const usage = run("export-cases", ["1"], source.env);
    expect(usage.status).toBe(2);
    expect(usage.out).toContain("Usage: npm run cases:export -- <case number or slug> <out.zip>");
    expect(fs.existsSync(out)).toBe(false);
  });
});
