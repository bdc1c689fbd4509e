import { DicomDecodeError } from "./errors";
import type { FrameInfo } from "./frame-info";

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G) into native little-endian bytes with
 * interleaved samples.
 *
 * Each segment holds one byte plane: for 16-bit data segment 0 is the most significant
 * byte of sample 0, segment 1 its least significant byte, then the next sample.
 */
export function decodeRleFrame(encoded: Uint8Array, info: FrameInfo): Uint8Array {
  const bytesPerSample = Math.ceil(info.bitsAllocated / 8);
  const samples = info.samplesPerPixel;
  const pixels = info.rows * info.columns;
  const expectedSegments = bytesPerSample * samples;
  if (encoded.length < 64) throw new DicomDecodeError("RLE frame is shorter than its 64-byte header");
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount !== expectedSegments) {
    throw new DicomDecodeError(`RLE frame has ${segmentCount} segments, expected ${expectedSegments}`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(view.getUint32(4 + 4 * s, true));

  const out = new Uint8Array(pixels * expectedSegments);
  const pixelStride = expectedSegments;
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s] ?? 0;
    const end = s + 1 < segmentCount ? (offsets[s + 1] ?? encoded.length) : encoded.length;
    if (start < 64 || start > end || end > encoded.length) {
      throw new DicomDecodeError(`RLE segment ${s} has an invalid offset ${start}`);
    }
    const sample = Math.floor(s / bytesPerSample);
    // Segments run from most to least significant byte; native little endian wants the reverse.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const outOffset = sample * bytesPerSample + byteInSample;
    decodePackBits(encoded, start, end, out, outOffset, pixelStride, pixels);
  }
  return out;
}

/** PackBits as used by DICOM RLE, writing every decoded byte to out[offset + i * stride]. */
function decodePackBits(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  offset: number,
  stride: number,
  count: number,
): void {
  let i = start;
  let n = 0;
  while (i < end && n < count) {
    const header = src[i++] ?? 0;
    const control = header > 127 ? header - 256 : header;
    if (control >= 0) {
      const run = Math.min(control + 1, count - n, end - i);
      for (let k = 0; k < run; k++) out[offset + (n++) * stride] = src[i++] ?? 0;
    } else if (control > -128) {
      const value = src[i++] ?? 0;
      const run = Math.min(1 - control, count - n);
      for (let k = 0; k < run; k++) out[offset + (n++) * stride] = value;
    }
    // -128 is a no-op by definition.
  }
  if (n < count) throw new DicomDecodeError(`RLE segment ends after ${n} of ${count} bytes`);
}
