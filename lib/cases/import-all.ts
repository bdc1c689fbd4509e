import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/db/client";
import type { PrepareDicom } from "@/lib/dicom/ingest-types";
import type { BlobStorage } from "@/lib/storage";
import { listBundleFolders, readBundleFolder, readCollectionsFile } from "./bundle";
import type { CollectionsFile } from "./bundle-schema";
import { addToCollections, importBundle, importCollections, type ImportOutcome } from "./import-bundle";
import { extractBundleZip, findBundleRoot } from "./unzip-bundle";

export type ImportTargetOptions = { now: Date; authorId: string | null; replace?: boolean; prepare: PrepareDicom };

/**
 * Imports from a path: a zip archive, one bundle folder (holding case.yaml), or a folder of bundles (plus its
 * collections.yaml). Each bundle is its own transaction; the first failure stops the run with its message.
 */
export async function importCasesFrom(db: Db, storage: BlobStorage, target: string, options: ImportTargetOptions) {
  let cleanup: string | undefined;
  try {
    let folder = path.resolve(target);
    let exportedCollections: CollectionsFile | undefined;
    if ((await fsp.stat(folder)).isFile()) {
      cleanup = await extractBundleZip(folder);
      folder = await findBundleRoot(cleanup);
      // An exported case (lib/cases/export-bundle.ts) carries the collections it belongs to beside its folder.
      if (folder !== cleanup) exportedCollections = await readCollectionsFile(cleanup);
    }
    const single = fs.existsSync(path.join(folder, "case.yaml"));
    const collections = single ? undefined : await readCollectionsFile(folder);
    const folders = single ? [folder] : orderByCollections(await listBundleFolders(folder), collections);
    const outcomes: ImportOutcome[] = [];
    for (const dir of folders) {
      const bundle = await readBundleFolder(dir);
      outcomes.push(await importBundle(db, storage, bundle, options));
    }
    let collectionCount = collections ? await importCollections(db, collections) : 0;
    if (single && exportedCollections) {
      const imported = outcomes.filter((o) => o.status !== "skipped").map((o) => o.slug);
      if (imported.length) {
        await addToCollections(db, exportedCollections, imported);
        collectionCount = exportedCollections.collections.length;
      }
    }
    return { outcomes, collections: collectionCount };
  } finally {
    if (cleanup) await fsp.rm(cleanup, { recursive: true, force: true });
  }
}

/** Cases are numbered in import order: follow the collections (a curriculum), then the rest by name. */
function orderByCollections(folders: string[], collections: CollectionsFile | undefined): string[] {
  const rank = new Map<string, number>();
  for (const slug of collections?.collections.flatMap((c) => c.cases) ?? []) if (!rank.has(slug)) rank.set(slug, rank.size);
  const key = (dir: string) => rank.get(path.basename(dir)) ?? Number.MAX_SAFE_INTEGER;
  return [...folders].sort((a, b) => key(a) - key(b) || a.localeCompare(b));
}
