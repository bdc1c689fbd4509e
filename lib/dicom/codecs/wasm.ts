import { readFile } from "node:fs/promises";

/**
 * Lazy, once-only loading of the Cornerstone wasm codecs in Node.
 *
 * The packages ship Emscripten CommonJS factories without TypeScript types; we load the
 * decode-only builds and hand them the .wasm bytes ourselves so that loading does not
 * depend on how a bundler rewrites __filename.
 */

/** What the three Emscripten decoders have in common (chafey's codec API). */
export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  /** CharLS only: 0 = planar (ILV_NONE), 1 = line, 2 = sample interleaved. */
  getInterleaveMode?(): number;
  delete(): void;
}

type DecoderName = "J2KDecoder" | "JpegLSDecoder" | "JPEGDecoder";
type CodecModule = Record<DecoderName, new () => WasmDecoder>;
type Factory = (options: { wasmBinary: Uint8Array; print: (text: string) => void; printErr: (text: string) => void }) => Promise<CodecModule>;

export type WasmCodecName = "openjpeg" | "charls" | "libjpeg-turbo";

const packages: Record<WasmCodecName, { pkg: string; decoder: DecoderName }> = {
  openjpeg: { pkg: "@cornerstonejs/codec-openjpeg", decoder: "J2KDecoder" },
  charls: { pkg: "@cornerstonejs/codec-charls", decoder: "JpegLSDecoder" },
  "libjpeg-turbo": { pkg: "@cornerstonejs/codec-libjpeg-turbo-8bit", decoder: "JPEGDecoder" },
};

// The codec packages are loaded at run time from node_modules, never bundled: a require the bundler cannot
// trace (Turbopack would otherwise try to bundle every .wasm the template could name).
const require = process.getBuiltinModule("node:module").createRequire(`${process.cwd()}/`);
const loaded = new Map<WasmCodecName, Promise<CodecModule>>();
/** OpenJPEG reports progress and errors through Emscripten's print hooks; keep the latest lines for error messages. */
const codecLog: string[] = [];
function log(text: string): void {
  codecLog.push(text);
  if (codecLog.length > 20) codecLog.shift();
}

function loadModule(name: WasmCodecName): Promise<CodecModule> {
  let promise = loaded.get(name);
  if (!promise) {
    const { pkg } = packages[name];
    promise = (async () => {
      const factory = require(`${pkg}/decodewasmjs`) as Factory;
      const wasmBinary = await readFile(require.resolve(`${pkg}/decodewasm`));
      return factory({ wasmBinary, print: log, printErr: log });
    })();
    // A failed load (missing package) should not be cached forever.
    promise.catch(() => loaded.delete(name));
    loaded.set(name, promise);
  }
  return promise;
}

export interface WasmDecodeResult {
  pixels: Uint8Array;
  frameInfo: WasmFrameInfo;
  interleaveMode: number | undefined;
}

/** Decodes one encoded frame with the named wasm codec and copies the result out of wasm memory. */
export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<WasmDecodeResult> {
  const mod = await loadModule(name);
  const Decoder = mod[packages[name].decoder];
  const decoder = new Decoder();
  codecLog.length = 0;
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const frameInfo = decoder.getFrameInfo();
    const interleaveMode = decoder.getInterleaveMode?.();
    // The decoded view points into wasm memory, which the next decode may reuse or grow.
    const pixels = new Uint8Array(decoder.getDecodedBuffer());
    return { pixels, frameInfo: { ...frameInfo }, interleaveMode };
  } catch (cause) {
    const detail = codecLog.filter((line) => /error/i.test(line)).join("; ");
    const base = cause instanceof Error ? cause.message : typeof cause === "number" ? `${name} failed` : String(cause);
    throw new Error(detail ? `${base} (${detail})` : base, { cause });
  } finally {
    decoder.delete();
  }
}
