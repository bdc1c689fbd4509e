import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFolderStorage } from "@/lib/storage";

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-storage-unit-"));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("LocalFolderStorage.adopt", () => {
  it("stores a staged file under its hash without touching the file, and gives the same key put would", async () => {
    const storage = new LocalFolderStorage(path.join(dir, "a"));
    const bytes = new TextEncoder().encode("de-identified bytes");
    const staged = path.join(dir, "staged.dcm");
    await fsp.writeFile(staged, bytes);
    const adopted = await storage.adopt(staged, sha(bytes), "dicom", "dcm");
    expect(adopted).toEqual({ key: `dicom/${sha(bytes).slice(0, 2)}/${sha(bytes)}.dcm`, sha256: sha(bytes), size: bytes.byteLength });
    expect(await fsp.readFile(staged)).toEqual(Buffer.from(bytes)); // the staged file stays for a retry
    await fsp.rm(staged);
    expect(await storage.read(adopted.key)).toEqual(Buffer.from(bytes)); // and the stored one outlives it
    expect(await new LocalFolderStorage(path.join(dir, "b")).put(bytes, "dicom", "dcm")).toEqual(adopted);
  });

  it("is a no-op for bytes already stored, and refuses a malformed hash", async () => {
    const storage = new LocalFolderStorage(path.join(dir, "c"));
    const bytes = new TextEncoder().encode("same bytes");
    const first = await storage.put(bytes, "dicom", "dcm");
    const staged = path.join(dir, "again.dcm");
    await fsp.writeFile(staged, bytes);
    expect(await storage.adopt(staged, first.sha256, "dicom", "dcm")).toEqual(first);
    await expect(storage.adopt(staged, "../../etc/passwd", "dicom", "dcm")).rejects.toThrow(/Invalid SHA-256/);
  });
});
