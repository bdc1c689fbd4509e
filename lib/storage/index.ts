import { getEnv } from "@/lib/env";
import { LocalFolderStorage } from "./local-folder";
import type { BlobStorage } from "./types";

export type { BlobStorage, StoredBlob } from "./types";
export { LocalFolderStorage } from "./local-folder";

let storage: BlobStorage | undefined;

/** The configured blob store (a local folder today; object storage would plug in here). */
export function getStorage(): BlobStorage {
  storage ??= new LocalFolderStorage(getEnv().storageDir);
  return storage;
}
