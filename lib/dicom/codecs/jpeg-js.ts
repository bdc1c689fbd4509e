import { createRequire } from "node:module";
import { DicomDecodeError } from "./errors";

/**
 * Pure-JavaScript JPEG decoders: Rii-Mango's lossless decoder (process 14, all selection
 * values) and a vendored, fixed copy of the pdf.js-derived DCT decoder from daikon, the only
 * available decoder that keeps 12-bit precision for JPEG Extended (process 4).
 */

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
}
interface LosslessModule {
  Decoder: new () => LosslessDecoder;
}
type DctModule = typeof import("./vendor/jpeg-dct.cjs");

const require = createRequire(import.meta.url);
let lossless: LosslessModule | undefined;
let dct: DctModule | undefined;

/** Decodes a JPEG Lossless (process 14) frame; output samples are bytesPerSample wide, native endian. */
export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: number): Uint8Array {
  lossless ??= require("jpeg-lossless-decoder-js") as LosslessModule;
  const decoder = new lossless.Decoder();
  const copy = padBeforeEoi(encoded);
  const out = decoder.decode(copy.buffer, 0, copy.length, bytesPerSample);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The lossless decoder reads ahead and treats a marker that follows the last entropy-coded
 * byte as end of data, dropping the last pixel(s) of some dcmtk-encoded frames. Zero bytes
 * inserted before EOI are never consumed as pixel data, so they fix this without side effects.
 * Returns a fresh copy, which also keeps the decoder off a shared pool buffer.
 */
function padBeforeEoi(encoded: Uint8Array): Uint8Array<ArrayBuffer> {
  let end = encoded.length;
  while (end > 0 && encoded[end - 1] === 0) end--;
  const hasEoi = end >= 2 && encoded[end - 2] === 0xff && encoded[end - 1] === 0xd9;
  const body = encoded.subarray(0, hasEoi ? end - 2 : end);
  const out = new Uint8Array(body.length + 6);
  out.set(body);
  out.set([0, 0, 0, 0, 0xff, 0xd9], body.length);
  return out;
}

/** Decodes a 12-bit (or 16-bit) precision DCT JPEG frame with one component into 16-bit samples. */
export async function decodeJpegExtended12(encoded: Uint8Array): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  // A static specifier, so bundlers ship the vendored file with this module.
  dct ??= (await import("./vendor/jpeg-dct.cjs")).default;
  const image = new dct.JpegImage();
  image.parse(encoded);
  if (image.components.length !== 1) {
    throw new DicomDecodeError(`12-bit JPEG with ${image.components.length} components is not supported`);
  }
  const data = image.getData16(image.width, image.height);
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: image.width, height: image.height };
}
