import type { Db } from "@/db/client";
import { getOrCreateSecretSetting } from "@/db/queries/settings";
import { createDicomPreparer } from "@/lib/dicom/ingest";
import type { BlobStorage } from "@/lib/storage";
import { importCasesFrom } from "./import-all";

/** Imports bundles with the installation's de-identification salt; used by the CLI and the start command. */
export async function runCaseImport(db: Db, storage: BlobStorage, target: string, options: { authorId: string | null; replace?: boolean; now?: Date }) {
  const uidSalt = await getOrCreateSecretSetting(db, "deid.uid-salt");
  // Bundles carry descriptions that their author already reviewed, and the importer refuses any that name the answer.
  const prepare = createDicomPreparer({ uidSalt, keepDescriptions: true });
  return importCasesFrom(db, storage, target, { now: options.now ?? new Date(), authorId: options.authorId, replace: options.replace, prepare });
}
