import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { BlobStorage, StoredBlob } from "./types";

const keyPattern = /^[a-z0-9-]+\/[0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]+$/;

/** Blob storage in a local folder. Writes go to a temporary file first and are renamed into place. */
export class LocalFolderStorage implements BlobStorage {
  constructor(private readonly root: string) {}

  // Folders adopt has made (or found): one mkdir per folder, not per blob.
  private readonly folders = new Set<string>();

  private resolve(key: string): string {
    if (!keyPattern.test(key)) throw new Error(`Invalid storage key: ${key}`);
    return path.join(this.root, key);
  }

  async put(bytes: Uint8Array, prefix: string, extension: string): Promise<StoredBlob> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const key = `${prefix}/${sha256.slice(0, 2)}/${sha256}.${extension}`;
    const target = this.resolve(key);
    if (!(await this.exists(key))) {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const temp = path.join(path.dirname(target), `.tmp-${randomUUID()}`);
      await fsp.writeFile(temp, bytes);
      await fsp.rename(temp, target);
    }
    return { key, sha256, size: bytes.byteLength };
  }

  async adopt(file: string, sha256: string, prefix: string, extension: string, size?: number): Promise<StoredBlob> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Invalid SHA-256: ${sha256}`);
    const key = `${prefix}/${sha256.slice(0, 2)}/${sha256}.${extension}`;
    const target = this.resolve(key);
    const bytes = size ?? (await fsp.stat(file)).size;
    const dir = path.dirname(target);
    if (!this.folders.has(dir)) {
      await fsp.mkdir(dir, { recursive: true });
      this.folders.add(dir);
    }
    try {
      // A hard link appears whole or not at all: no temporary name needed. EEXIST: the same content is stored.
      await fsp.link(file, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (code === "ENOENT" && this.folders.has(dir)) {
        // The folder may have been removed since it was made: make it again, once.
        this.folders.delete(dir);
        await fsp.mkdir(dir, { recursive: true });
        await fsp.link(file, target).catch((again: NodeJS.ErrnoException) => {
          if (again.code !== "EEXIST") throw again;
        });
        this.folders.add(dir);
        return { key, sha256, size: bytes };
      }
      if (code !== "EEXIST") {
        // Staging on another file system (or one without hard links): one copy, still never a read into memory.
        if (!["EXDEV", "EPERM", "ENOTSUP", "EMLINK"].includes(code)) throw error;
        if (!(await this.exists(key))) {
          const temp = path.join(dir, `.tmp-${randomUUID()}`);
          await fsp.copyFile(file, temp);
          await fsp.rename(temp, target);
        }
      }
    }
    return { key, sha256, size: bytes };
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.resolve(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async stream(key: string) {
    const file = this.resolve(key);
    try {
      const stat = await fsp.stat(file);
      return { stream: fs.createReadStream(file), size: stat.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fsp.access(this.resolve(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.resolve(key), { force: true });
  }
}
