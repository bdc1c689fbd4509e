import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CASE_DEFINITIONS } from "@/cases/generator/registry";
import { generateCase } from "@/cases/generator/run";

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), createHash("sha256").update(fs.readFileSync(full)).digest("hex"));
  }
  return out;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "casebook-gen-"));

describe("the synthetic case generator", () => {
  it("writes the same bytes on every run (hashes of two runs match for every case)", () => {
    for (const def of CASE_DEFINITIONS) {
      const [a, b] = [tmp(), tmp()];
      generateCase(def, { outDir: a, instances: [1, 7] });
      generateCase(def, { outDir: b, instances: [1, 7] });
      const first = hashTree(a);
      expect(first.size, `${def.slug}: files written`).toBeGreaterThanOrEqual(2 * def.series.length);
      expect(hashTree(b), def.slug).toEqual(first);
    }
  }, 300_000);

  it("writes files that dciodvfy (dicom3tools) finds no errors in, for every series of every case", () => {
    let checked = 0;
    for (const def of CASE_DEFINITIONS) {
      const out = tmp();
      generateCase(def, { outDir: out, instances: [2] });
      for (const entry of fs.readdirSync(out, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        // dciodvfy reports on stderr and exits non-zero on some findings: read everything it says.
        const combined = execFileSync("sh", ["-c", 'dciodvfy "$1" 2>&1 || true', "sh", file], { encoding: "utf8" });
        const errors = combined.split("\n").filter((line) => line.startsWith("Error"));
        expect(errors, `${def.slug} ${path.relative(out, file)}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  }, 300_000);

  it("meets the matrix floor: CT 512x512, MR 256x256 or more", () => {
    for (const def of CASE_DEFINITIONS) {
      const results = generateCase(def, { outDir: tmp(), instances: [1] });
      for (const r of results) {
        const ct = /^CT\b/.test(r.description);
        expect(Math.min(r.rows, r.cols), `${def.slug} ${r.description} matrix`).toBeGreaterThanOrEqual(ct ? 512 : 256);
      }
    }
  }, 300_000);
});
