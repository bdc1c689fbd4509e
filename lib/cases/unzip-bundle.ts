import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import yauzl from "yauzl";
import { BundleError } from "./bundle";

export const zipLimits = { maxEntries: 20_000, maxTotalBytes: 2 * 1024 ** 3, maxRatio: 200 } as const;

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, zip) => (error || !zip ? reject(error) : resolve(zip))),
  );
}

/**
 * Extracts a bundle zip into a new temporary folder and returns it. Refuses traversal paths, links, too many
 * entries, and archives that inflate past the size or ratio limits (zip bombs), counting real inflated bytes.
 */
export async function extractBundleZip(zipFile: string, limits = zipLimits): Promise<string> {
  const label = path.basename(zipFile);
  const target = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-bundle-"));
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipFile);
  } catch (error) {
    await fsp.rm(target, { recursive: true, force: true });
    throw new BundleError(label, undefined, `not a readable zip archive (${(error as Error).message})`);
  }
  let entries = 0;
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: yauzl.Entry) => {
        void (async () => {
          entries += 1;
          if (entries > limits.maxEntries) throw new BundleError(label, undefined, `more than ${limits.maxEntries} entries`);
          const name = entry.fileName;
          const normalized = path.posix.normalize(name);
          if (path.posix.isAbsolute(name) || normalized.startsWith("../") || normalized === ".." || name.includes("\\")) {
            throw new BundleError(label, name, "path escapes the bundle folder");
          }
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode === 0o120000) throw new BundleError(label, name, "symbolic links are not allowed");
          const destination = path.join(target, normalized);
          if (name.endsWith("/")) {
            await fsp.mkdir(destination, { recursive: true });
            zip.readEntry();
            return;
          }
          if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.maxRatio) {
            throw new BundleError(label, name, "compression ratio is implausible (zip bomb?)");
          }
          await fsp.mkdir(path.dirname(destination), { recursive: true });
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(entry, (e, s) => (e || !s ? rej(e) : res(s))));
          const counter = new Transform({
            transform(chunk: Buffer, _enc, done) {
              total += chunk.length;
              if (total > limits.maxTotalBytes) done(new BundleError(label, name, `archive inflates past ${limits.maxTotalBytes} bytes`));
              else done(null, chunk);
            },
          });
          await pipeline(stream, counter, fs.createWriteStream(destination, { flags: "wx" }));
          zip.readEntry();
        })().catch((error: unknown) => {
          zip.close();
          reject(error);
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    await fsp.rm(target, { recursive: true, force: true });
    throw error instanceof BundleError ? error : new BundleError(label, undefined, `could not be extracted: ${(error as Error).message}`);
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
