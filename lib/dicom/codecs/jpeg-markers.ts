/** The start-of-frame header of a JPEG (T.81) or JPEG-LS (T.87) stream. */
export interface JpegFrameHeader {
  /** SOF marker code, e.g. 0xffc0 baseline, 0xffc1 extended, 0xffc3 lossless, 0xfff7 JPEG-LS. */
  marker: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

/**
 * Finds the first SOF marker so the dispatcher can pick a decoder by what the stream
 * really is: some writers label lossless or 12-bit streams with the baseline UID.
 */
export function readJpegFrameHeader(data: Uint8Array): JpegFrameHeader | undefined {
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= data.length) {
    if (data[i] !== 0xff) {
      i++;
      continue;
    }
    const code = 0xff00 | (data[i + 1] ?? 0);
    if (code === 0xffff) {
      i++;
      continue;
    }
    const length = ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
    const isSof = (code >= 0xffc0 && code <= 0xffcf && code !== 0xffc4 && code !== 0xffc8 && code !== 0xffcc) || code === 0xfff7;
    if (isSof) {
      return {
        marker: code,
        precision: data[i + 4] ?? 0,
        rows: ((data[i + 5] ?? 0) << 8) | (data[i + 6] ?? 0),
        columns: ((data[i + 7] ?? 0) << 8) | (data[i + 8] ?? 0),
        components: data[i + 9] ?? 0,
      };
    }
    if (code === 0xffda) return undefined; // start of scan before any frame header
    i += 2 + length;
  }
  return undefined;
}

/** True when a fragment starts a new compressed frame (JPEG SOI, J2K SOC or a JP2 signature box). */
export function startsCompressedFrame(fragment: Uint8Array): boolean {
  if (fragment[0] === 0xff && fragment[1] === 0xd8) return true;
  if (fragment[0] === 0xff && fragment[1] === 0x4f && fragment[2] === 0xff && fragment[3] === 0x51) return true;
  return fragment[4] === 0x6a && fragment[5] === 0x50 && fragment[6] === 0x20 && fragment[7] === 0x20;
}
