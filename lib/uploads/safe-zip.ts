import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";

/** Limits every zip extraction in Casebook applies (bundle imports and uploads alike). */
export type ZipLimits = { maxEntries: number; maxTotalBytes: number; maxRatio: number };

export const defaultZipLimits: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 2 * 1024 ** 3, maxRatio: 200 };

/** Why an archive was refused: `entry` names the offending member when there is one. */
export class ZipRefusedError extends Error {
  override readonly name = "ZipRefusedError";
  constructor(
    readonly reason: string,
    readonly entry?: string,
  ) {
    super(entry ? `${entry}: ${reason}` : reason);
  }
}

export type ExtractedEntry = { name: string; file: string; size: number };

export type ExtractZipOptions = {
  limits?: ZipLimits;
  /** The word for the extraction target in refusals ("path escapes the bundle folder"). */
  folderWord?: string;
};

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, zip) => (error || !zip ? reject(error) : resolve(zip))),
  );
}

/**
 * Extracts a zip archive into an existing, empty folder, one entry at a time as streams, and returns the files
 * written. Refuses absolute or `..` paths, backslashes, symbolic links, more than `maxEntries` entries, and
 * archives that inflate past `maxTotalBytes` or whose entries claim an implausible compression ratio (zip
 * bombs); inflated bytes are counted as they arrive, so lying headers do not help.
 *
 * @throws ZipRefusedError with the reason (the caller removes `target`; partial output may be left in it).
 */
export async function extractZip(zipFile: string, target: string, options: ExtractZipOptions = {}): Promise<ExtractedEntry[]> {
  const limits = options.limits ?? defaultZipLimits;
  const folderWord = options.folderWord ?? "target";
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipFile);
  } catch (error) {
    throw new ZipRefusedError(`not a readable zip archive (${(error as Error).message})`);
  }
  const written: ExtractedEntry[] = [];
  let entries = 0;
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", resolve);
      zip.on("entry", (entry: yauzl.Entry) => {
        void (async () => {
          entries += 1;
          if (entries > limits.maxEntries) throw new ZipRefusedError(`more than ${limits.maxEntries} entries`);
          const name = entry.fileName;
          const normalized = path.posix.normalize(name);
          if (path.posix.isAbsolute(name) || normalized.startsWith("../") || normalized === ".." || name.includes("\\")) {
            throw new ZipRefusedError(`path escapes the ${folderWord} folder`, name);
          }
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode === 0o120000) throw new ZipRefusedError("symbolic links are not allowed", name);
          const destination = path.join(target, normalized);
          if (name.endsWith("/")) {
            await fsp.mkdir(destination, { recursive: true });
            zip.readEntry();
            return;
          }
          if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.maxRatio) {
            throw new ZipRefusedError("compression ratio is implausible (zip bomb?)", name);
          }
          await fsp.mkdir(path.dirname(destination), { recursive: true });
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => zip.openReadStream(entry, (e, s) => (e || !s ? rej(e) : res(s))));
          let size = 0;
          const counter = new Transform({
            transform(chunk: Buffer, _enc, done) {
              total += chunk.length;
              size += chunk.length;
              if (total > limits.maxTotalBytes) done(new ZipRefusedError(`archive inflates past ${limits.maxTotalBytes} bytes`, name));
              else done(null, chunk);
            },
          });
          await pipeline(stream, counter, fs.createWriteStream(destination, { flags: "wx" }));
          written.push({ name: normalized, file: destination, size });
          zip.readEntry();
        })().catch((error: unknown) => {
          zip.close();
          reject(error);
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof ZipRefusedError) throw error;
    throw new ZipRefusedError(`could not be extracted: ${(error as Error).message}`);
  }
  return written;
}
