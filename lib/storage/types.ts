import type { Readable } from "node:stream";

export type StoredBlob = { key: string; sha256: string; size: number };

/**
 * Where DICOM bytes live. Keys are content-addressed ("dicom/ab/abcdef....dcm"), so a blob never changes
 * once written: that is what makes immutable HTTP caching safe.
 */
export interface BlobStorage {
  /** Writes bytes and returns their content address; writing the same bytes twice is a no-op. */
  put(bytes: Uint8Array, prefix: string, extension: string): Promise<StoredBlob>;
  /**
   * Stores a local file whose SHA-256 the caller computed over exactly the bytes it wrote, without reading it
   * again: a hard link where the file system allows it (a copy otherwise). The file itself stays where it is.
   */
  adopt(file: string, sha256: string, prefix: string, extension: string, size?: number): Promise<StoredBlob>;
  read(key: string): Promise<Buffer | undefined>;
  stream(key: string): Promise<{ stream: Readable; size: number } | undefined>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}
