import fs from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { caseFileSchema, collectionsFileSchema, keyImagesFileSchema, type CaseFile, type CollectionsFile, type KeyImagesFile } from "./bundle-schema";

/** A bundle that cannot be imported; the message names the file and, where it can, the field. */
export class BundleError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(field ? `${file}: ${field}: ${detail}` : `${file}: ${detail}`);
    this.name = "BundleError";
  }
}

export type CaseBundle = {
  dir: string;
  caseFile: CaseFile;
  keyImages: KeyImagesFile;
  /** Absolute paths of the DICOM files, in a stable order. */
  dicomFiles: string[];
};

async function readYaml(file: string, label: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !required) return undefined;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BundleError(label, undefined, "file is missing");
    throw error;
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : undefined;
    throw new BundleError(label, where, `invalid YAML: ${first.message.split("\n")[0]}`);
  }
  return doc.toJS();
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, label: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : undefined;
  throw new BundleError(label, field, issue.message);
}

async function listDicomFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries.sort();
}

/** Reads and validates one bundle folder (`case.yaml`, optional `key-images.yaml`, `dicom/`). */
export async function readBundleFolder(dir: string): Promise<CaseBundle> {
  const folder = path.basename(dir);
  const label = (name: string) => `${folder}/${name}`;
  const caseFile = parseWith(caseFileSchema, await readYaml(path.join(dir, "case.yaml"), label("case.yaml"), true), label("case.yaml"));
  if (caseFile.slug !== folder && folder !== "bundle") {
    throw new BundleError(label("case.yaml"), "slug", `"${caseFile.slug}" does not match the folder name "${folder}"`);
  }
  const keyImagesRaw = await readYaml(path.join(dir, "key-images.yaml"), label("key-images.yaml"), false);
  const keyImages = parseWith(keyImagesFileSchema, keyImagesRaw ?? {}, label("key-images.yaml"));
  const dicomFiles = await listDicomFiles(path.join(dir, "dicom"));
  if (dicomFiles.length === 0) {
    throw new BundleError(label("dicom/"), undefined, "no DICOM files (run `npm run cases:generate` for generated cases)");
  }
  return { dir, caseFile, keyImages, dicomFiles };
}

/** Reads `collections.yaml` beside the case folders, if there is one. */
export async function readCollectionsFile(casesDir: string): Promise<CollectionsFile | undefined> {
  const raw = await readYaml(path.join(casesDir, "collections.yaml"), "collections.yaml", false);
  return raw === undefined ? undefined : parseWith(collectionsFileSchema, raw, "collections.yaml");
}

/** The bundle folders under a cases directory: every sub-folder holding a case.yaml, sorted. */
export async function listBundleFolders(casesDir: string): Promise<string[]> {
  const entries = await fs.readdir(casesDir, { withFileTypes: true });
  const folders: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const candidate = path.join(casesDir, entry.name);
    try {
      await fs.access(path.join(candidate, "case.yaml"));
      folders.push(candidate);
    } catch {
      // not a bundle (the generator's own folder, say)
    }
  }
  return folders.sort();
}
