import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { defaultZipLimits, extractZip, ZipRefusedError, type ZipLimits } from "@/lib/uploads/safe-zip";
import { BundleError } from "./bundle";

export const zipLimits: ZipLimits = defaultZipLimits;

/**
 * Extracts a bundle zip into a new temporary folder and returns it. Refuses traversal paths, links, too many
 * entries, and archives that inflate past the size or ratio limits (zip bombs), counting real inflated bytes
 * (the shared extractor in lib/uploads/safe-zip.ts, which uploads use too).
 */
export async function extractBundleZip(zipFile: string, limits: ZipLimits = zipLimits): Promise<string> {
  const label = path.basename(zipFile);
  const target = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-bundle-"));
  try {
    await extractZip(zipFile, target, { limits, folderWord: "bundle" });
  } catch (error) {
    await fsp.rm(target, { recursive: true, force: true });
    if (error instanceof ZipRefusedError) throw new BundleError(label, error.entry, error.reason);
    throw new BundleError(label, undefined, `could not be extracted: ${(error as Error).message}`);
  }
  return target;
}

/** The folder inside an extracted archive that holds case.yaml (the root, or a single top-level folder). */
export async function findBundleRoot(extracted: string): Promise<string> {
  if (fs.existsSync(path.join(extracted, "case.yaml"))) return extracted;
  const children = (await fsp.readdir(extracted, { withFileTypes: true })).filter((d) => d.isDirectory());
  const only = children.length === 1 ? children[0] : undefined;
  if (only && fs.existsSync(path.join(extracted, only.name, "case.yaml"))) return path.join(extracted, only.name);
  return extracted; // a collection of bundles, or a broken archive: the caller's reader will say which
}
