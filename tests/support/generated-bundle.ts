import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import type { CaseDefinition } from "@/cases/generator/case-def";
import { generateCase } from "@/cases/generator/run";

/**
 * A copy of a bundled case with only a few generated images per series (the first, the key images, and any
 * extra numbers asked for): enough to validate and import the real bundle quickly.
 */
export function writeGeneratedBundle(def: CaseDefinition, extraInstances: number[] = []): string {
  const source = path.join("cases", def.slug);
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "casebook-generated-")), def.slug);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ["case.yaml", "key-images.yaml"]) fs.copyFileSync(path.join(source, file), path.join(dir, file));
  const keyImages = (YAML.parse(fs.readFileSync(path.join(source, "key-images.yaml"), "utf8")) as { key_images: { instance: number }[] }).key_images;
  const instances = [...new Set([1, ...keyImages.map((k) => k.instance), ...extraInstances])];
  generateCase(def, { outDir: path.join(dir, "dicom"), instances });
  return dir;
}
