/**
 * Generates the bundled cases' synthetic DICOM series, key-images.yaml files and contact sheets.
 *
 *   npx tsx scripts/generate-cases.ts [slug...] [--no-contact-sheets]
 *
 * Output: cases/<slug>/dicom/<series-folder>/<NNNN>.dcm (deterministic bytes).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeContactSheet } from "../cases/generator/contact-sheet";
import { CASE_DEFINITIONS } from "../cases/generator/registry";
import { generateCase, keyImagesYaml } from "../cases/generator/run";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const sheets = !args.includes("--no-contact-sheets");
const slugs = args.filter((a) => !a.startsWith("--"));
const unknown = slugs.filter((s) => !CASE_DEFINITIONS.some((d) => d.slug === s));
if (unknown.length > 0) {
  console.error(`Unknown case(s): ${unknown.join(", ")}. Known: ${CASE_DEFINITIONS.map((d) => d.slug).join(", ")}`);
  process.exit(1);
}

const started = performance.now();
let totalBytes = 0;
let totalFiles = 0;
for (const def of CASE_DEFINITIONS) {
  if (slugs.length > 0 && !slugs.includes(def.slug)) continue;
  const t0 = performance.now();
  const caseDir = join(root, "cases", def.slug);
  const results = generateCase(def, { outDir: join(caseDir, "dicom") });
  writeFileSync(join(caseDir, "key-images.yaml"), keyImagesYaml(def));
  if (sheets) {
    const sheetDir = join(root, "docs", "contact-sheets");
    mkdirSync(sheetDir, { recursive: true });
    writeContactSheet(join(sheetDir, `${def.slug}.png`), def.slug, results);
  }
  const bytes = results.reduce((a, r) => a + r.bytes, 0);
  const files = results.reduce((a, r) => a + r.count, 0);
  totalBytes += bytes;
  totalFiles += files;
  const list = results.map((r) => `${r.description} ${r.count}x${r.cols}x${r.rows}`).join("; ");
  console.log(`${def.slug}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s [${list}]`);
}
console.log(`Total: ${totalFiles} files, ${(totalBytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
