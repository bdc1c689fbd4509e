import dcmjs, { type DicomDataset, type DicomElement } from "dcmjs";
import { decodedPhotometric, decodeFrame, planarToInterleaved, startsCompressedFrame } from "./codecs";
import { DicomDecodeError } from "./codecs/errors";
import type { FrameInfo } from "./codecs/frame-info";
import { DicomInvalidError, parseDicomBytes } from "./instance-meta";
import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  type TransferSyntaxCodec,
  type TransferSyntaxInfo,
  cleanUid,
  getTransferSyntax,
} from "./transfer-syntax";

export { DicomDecodeError } from "./codecs/errors";
export { DicomInvalidError } from "./instance-meta";

/** A dcmjs data set with its file meta information, the unit the ingest pipeline passes along. */
export interface DicomParts {
  dict: DicomDataset;
  meta: DicomDataset;
}

const TAG = {
  transferSyntax: "00020010",
  samplesPerPixel: "00280002",
  photometric: "00280004",
  planarConfiguration: "00280006",
  numberOfFrames: "00280008",
  rows: "00280010",
  columns: "00280011",
  bitsAllocated: "00280100",
  bitsStored: "00280101",
  highBit: "00280102",
  pixelRepresentation: "00280103",
  lossyCompression: "00282110",
  lossyMethod: "00282114",
  pixelData: "7FE00010",
  extendedOffsetTable: "7FE00001",
  extendedOffsetTableLengths: "7FE00002",
} as const;

const PALETTE_TAGS = {
  descriptors: ["00281101", "00281102", "00281103"],
  data: ["00281201", "00281202", "00281203"],
  segmented: ["00281221", "00281222", "00281223"],
  other: ["00281199"],
} as const;

const codecLabel: Record<TransferSyntaxCodec, string> = {
  native: "native",
  "jpeg-baseline": "JPEG baseline",
  "jpeg-extended": "JPEG extended",
  "jpeg-lossless": "JPEG lossless",
  "jpeg-ls": "JPEG-LS",
  "jpeg-2000": "JPEG 2000",
  rle: "RLE",
};

const lossyMethod: Partial<Record<TransferSyntaxCodec, string>> = {
  "jpeg-baseline": "ISO_10918_1",
  "jpeg-extended": "ISO_10918_1",
  "jpeg-ls": "ISO_14495_1",
  "jpeg-2000": "ISO_15444_1",
};

/**
 * Rewrites a data set so that it is Explicit VR Little Endian with native, interleaved
 * pixels in MONOCHROME1, MONOCHROME2 or RGB: every compressed frame is decoded, big
 * endian binary values are byte-swapped, YBR and palette colour become RGB.
 *
 * Rescale, windowing and pixel padding attributes are left as they are; MONOCHROME1 is
 * kept because the viewer inverts it. The input objects are not modified.
 *
 * @throws DicomDecodeError when a frame cannot be decoded.
 * @throws DicomInvalidError when native PixelData is shorter than the image needs.
 */
export async function normalizeDataset(dict: DicomDataset, meta: DicomDataset): Promise<DicomParts> {
  const tsUid = cleanUid(String(first(meta, TAG.transferSyntax) ?? ""));
  const ts = getTransferSyntax(tsUid);
  if (!ts) throw new DicomDecodeError(`transfer syntax ${tsUid || "(missing)"} is not supported`);

  const out: DicomDataset = ts.littleEndian ? { ...dict } : swapBinaryElements(dict);
  const outMeta: DicomDataset = { ...meta, [TAG.transferSyntax]: { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] } };

  const pixelElement = dict[TAG.pixelData];
  if (!pixelElement?.Value?.length) return { dict: out, meta: outMeta };

  const info = readFrameInfo(dict);
  if (info.bitsAllocated === 1) {
    // Bit-packed pixels (segmentations) have no codec path here; native ones pass through.
    if (ts.encapsulated) throw new DicomDecodeError(`${codecLabel[ts.codec]} compressed 1-bit pixel data is not supported`);
    return { dict: out, meta: outMeta };
  }
  const frameCount = Math.max(1, Math.trunc(numberOf(dict, TAG.numberOfFrames) ?? 1));

  let pixels: Uint8Array;
  if (ts.encapsulated) {
    pixels = await decodeAllFrames(ts, pixelElement, info, frameCount);
    setValue(out, TAG.photometric, "CS", decodedPhotometric(ts.uid, info.photometricInterpretation, info.samplesPerPixel));
    if (ts.lossy) markLossy(out, ts);
  } else {
    pixels = readNativePixels(ts, pixelElement, info, frameCount);
  }

  let photometric = String(first(out, TAG.photometric) ?? info.photometricInterpretation).trim();
  let samples = info.samplesPerPixel;
  let bitsAllocated = info.bitsAllocated;
  const pixelCount = info.rows * info.columns * frameCount;

  if (photometric === "YBR_FULL" && samples === 3 && bitsAllocated === 8) {
    pixels = ybrFullToRgb(pixels);
    photometric = "RGB";
  } else if (photometric === "YBR_FULL_422" && samples === 3 && bitsAllocated === 8 && !ts.encapsulated) {
    pixels = ybr422ToRgb(pixels, pixelCount);
    photometric = "RGB";
  } else if (photometric === "PALETTE COLOR") {
    pixels = expandPalette(out, pixels, info, pixelCount);
    for (const tag of Object.values(PALETTE_TAGS).flat()) delete out[tag];
    photometric = "RGB";
    samples = 3;
    bitsAllocated = 8;
    setValue(out, TAG.bitsAllocated, "US", 8);
    setValue(out, TAG.bitsStored, "US", 8);
    setValue(out, TAG.highBit, "US", 7);
    setValue(out, TAG.pixelRepresentation, "US", 0);
  } else if (samples === 1 && bitsAllocated === 16 && info.bitsStored < 16) {
    cleanHighBits(pixels, info.bitsStored, info.pixelRepresentation === 1);
  }

  setValue(out, TAG.photometric, "CS", photometric);
  setValue(out, TAG.samplesPerPixel, "US", samples);
  if (samples > 1) setValue(out, TAG.planarConfiguration, "US", 0);
  else delete out[TAG.planarConfiguration];
  delete out[TAG.extendedOffsetTable];
  delete out[TAG.extendedOffsetTableLengths];
  out[TAG.pixelData] = { vr: bitsAllocated > 8 ? "OW" : "OB", Value: [evenLengthBuffer(pixels)] };
  return { dict: out, meta: outMeta };
}

/**
 * Reads a DICOM Part 10 file, normalises it with {@link normalizeDataset} and writes it back.
 *
 * @throws DicomInvalidError when the bytes are not a Part 10 file or are truncated.
 * @throws DicomDecodeError when the pixels cannot be decoded.
 */
export async function normalizePart10(bytes: Uint8Array): Promise<Uint8Array> {
  const { dict, meta } = readPart10(bytes);
  const normalized = await normalizeDataset(dict, meta);
  return writePart10(normalized);
}

/**
 * Parses Part 10 bytes into dcmjs's dict form.
 *
 * @throws DicomInvalidError for non-DICOM or truncated bytes.
 */
export function readPart10(bytes: Uint8Array): DicomParts {
  // dcmjs silently zero-fills a truncated value, so check the structure with dicom-parser first.
  parseDicomBytes(bytes);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    const message = dcmjs.data.DicomMessage.readFile(buffer);
    return { dict: message.dict, meta: message.meta };
  } catch (cause) {
    throw new DicomInvalidError(`DICOM file is truncated or corrupt: ${errorText(cause)}`, { cause });
  }
}

/** Serialises a dict and its meta back to Part 10 bytes (dcmjs recomputes the group length). */
export function writePart10({ dict, meta }: DicomParts): Uint8Array {
  const file = new dcmjs.data.DicomDict(meta);
  file.dict = dict;
  // Old files carry values such as "1995.06.26" in DA; refusing them here would reject real studies.
  return new Uint8Array(file.write({ fragmentMultiframe: false, allowInvalidVRLength: true }));
}

function readFrameInfo(dict: DicomDataset): FrameInfo {
  const rows = numberOf(dict, TAG.rows);
  const columns = numberOf(dict, TAG.columns);
  const bitsAllocated = numberOf(dict, TAG.bitsAllocated);
  if (!rows || !columns) throw new DicomDecodeError("PixelData is present but Rows or Columns is missing");
  if (!bitsAllocated || ![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new DicomDecodeError(`BitsAllocated ${bitsAllocated ?? "(missing)"} is not supported`);
  }
  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored: numberOf(dict, TAG.bitsStored) ?? bitsAllocated,
    pixelRepresentation: numberOf(dict, TAG.pixelRepresentation) ?? 0,
    samplesPerPixel: numberOf(dict, TAG.samplesPerPixel) ?? 1,
    photometricInterpretation: String(first(dict, TAG.photometric) ?? "MONOCHROME2").trim(),
    planarConfiguration: numberOf(dict, TAG.planarConfiguration) ?? 0,
  };
}

async function decodeAllFrames(ts: TransferSyntaxInfo, element: DicomElement, info: FrameInfo, frameCount: number): Promise<Uint8Array> {
  const frames = groupFragmentsIntoFrames(element.Value ?? [], frameCount, ts.codec);
  const frameLength = info.rows * info.columns * info.samplesPerPixel * (info.bitsAllocated / 8);
  const out = new Uint8Array(frameLength * frameCount);
  for (let i = 0; i < frames.length; i++) {
    const encoded = frames[i];
    if (!encoded) throw new DicomDecodeError(`${codecLabel[ts.codec]} frame ${i + 1} is missing`);
    try {
      out.set(await decodeFrame(ts.uid, encoded, info), i * frameLength);
    } catch (cause) {
      throw new DicomDecodeError(`${codecLabel[ts.codec]} frame ${i + 1} could not be decoded: ${errorText(cause)}`, { cause });
    }
  }
  return out;
}

/**
 * dcmjs gives one value per frame when the Basic Offset Table is filled in, and one value
 * per fragment when it is empty; frames split over several fragments are regrouped here.
 */
function groupFragmentsIntoFrames(values: unknown[], frameCount: number, codec: TransferSyntaxCodec): Uint8Array[] {
  const items = values.map(toFragmentList);
  if (items.length === frameCount) return items.map(concat);
  const fragments = items.flat();
  if (frameCount === 1) return [concat(fragments)];
  if (codec === "rle") {
    throw new DicomDecodeError(`RLE PixelData has ${fragments.length} fragments for ${frameCount} frames`);
  }
  const frames: Uint8Array[][] = [];
  for (const fragment of fragments) {
    const current = frames[frames.length - 1];
    if (!current || startsCompressedFrame(fragment)) frames.push([fragment]);
    else current.push(fragment);
  }
  if (frames.length !== frameCount) {
    throw new DicomDecodeError(`PixelData holds ${frames.length} compressed frames but NumberOfFrames is ${frameCount}`);
  }
  return frames.map(concat);
}

function toFragmentList(value: unknown): Uint8Array[] {
  if (Array.isArray(value)) return value.flatMap(toFragmentList);
  if (value instanceof ArrayBuffer) return [new Uint8Array(value)];
  if (ArrayBuffer.isView(value)) return [new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  throw new DicomDecodeError("PixelData fragment is not binary data");
}

function readNativePixels(ts: TransferSyntaxInfo, element: DicomElement, info: FrameInfo, frameCount: number): Uint8Array {
  const data = concat(toFragmentList(element.Value ?? []));
  const bytesPerSample = info.bitsAllocated / 8;
  const pixelCount = info.rows * info.columns * frameCount;
  // Native YBR_FULL_422 stores two luma samples and one pair of chroma samples per two pixels.
  const samplesStored = info.photometricInterpretation === "YBR_FULL_422" ? 2 : info.samplesPerPixel;
  const expected = pixelCount * samplesStored * bytesPerSample;
  if (data.length < expected) {
    throw new DicomInvalidError(`PixelData is truncated: ${data.length} of ${expected} bytes present`);
  }
  let pixels = data.slice(0, expected);
  // An OW value in big endian is swapped in 16-bit words even when samples are 8-bit.
  const swapWidth = ts.littleEndian ? 1 : element.vr === "OB" ? 1 : Math.max(2, bytesPerSample);
  if (swapWidth > 1) swapBytes(pixels, swapWidth);
  if (info.samplesPerPixel > 1 && info.planarConfiguration === 1 && samplesStored === info.samplesPerPixel) {
    const perFrame = info.rows * info.columns * info.samplesPerPixel * bytesPerSample;
    const out = new Uint8Array(pixels.length);
    for (let f = 0; f < frameCount; f++) {
      const frame = pixels.subarray(f * perFrame, (f + 1) * perFrame);
      out.set(planarToInterleaved(frame, info.rows * info.columns, info.samplesPerPixel, bytesPerSample), f * perFrame);
    }
    pixels = out;
  }
  return pixels;
}

/** Copies a big-endian data set, swapping binary values that dcmjs leaves as raw bytes. PixelData is handled by the caller. */
function swapBinaryElements(ds: DicomDataset): DicomDataset {
  const widths: Record<string, number> = { OW: 2, OL: 4, OF: 4, OD: 8, OV: 8 };
  const out: DicomDataset = {};
  for (const [tag, element] of Object.entries(ds)) {
    const width = widths[element.vr];
    if (tag === TAG.pixelData) {
      // Native pixels are swapped by sample width in readNativePixels; fragments are byte streams.
      out[tag] = element;
    } else if (element.vr === "SQ" && element.Value) {
      out[tag] = { vr: "SQ", Value: element.Value.map((item) => swapBinaryElements(item as DicomDataset)) };
    } else if (width && element.Value) {
      const Value = element.Value.map((v) => {
        const copy = toFragmentList(v).map((f) => f.slice());
        copy.forEach((c) => swapBytes(c, width));
        return copy.length === 1 && copy[0] ? copy[0].buffer : copy.map((c) => c.buffer);
      });
      out[tag] = { vr: element.vr, Value };
    } else {
      out[tag] = element;
    }
  }
  return out;
}

function swapBytes(data: Uint8Array, width: number): void {
  const end = data.length - (data.length % width);
  for (let i = 0; i < end; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = data[a] ?? 0;
      data[a] = data[b] ?? 0;
      data[b] = t;
    }
  }
}

/** Masks unsigned or sign-extends signed samples so bits above BitsStored carry no overlay or garbage. */
function cleanHighBits(pixels: Uint8Array, bitsStored: number, signed: boolean): void {
  const view = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const shift = 32 - bitsStored;
  const mask = (1 << bitsStored) - 1;
  for (let i = 0; i + 1 < pixels.length; i += 2) {
    const v = view.getUint16(i, true);
    view.setUint16(i, signed ? ((v << shift) >> shift) & 0xffff : v & mask, true);
  }
}

function ybrToRgb(y: number, cb: number, cr: number, out: Uint8Array, o: number): void {
  out[o] = clamp8(y + 1.402 * (cr - 128));
  out[o + 1] = clamp8(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
  out[o + 2] = clamp8(y + 1.772 * (cb - 128));
}

function ybrFullToRgb(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i + 2 < data.length; i += 3) ybrToRgb(data[i] ?? 0, data[i + 1] ?? 128, data[i + 2] ?? 128, out, i);
  return out;
}

function ybr422ToRgb(data: Uint8Array, pixelCount: number): Uint8Array {
  const out = new Uint8Array(pixelCount * 3);
  for (let p = 0, i = 0; p < pixelCount && i + 3 < data.length; p += 2, i += 4) {
    const cb = data[i + 2] ?? 128;
    const cr = data[i + 3] ?? 128;
    ybrToRgb(data[i] ?? 0, cb, cr, out, p * 3);
    if (p + 1 < pixelCount) ybrToRgb(data[i + 1] ?? 0, cb, cr, out, (p + 1) * 3);
  }
  return out;
}

function clamp8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** Looks every stored index up in the red, green and blue palette LUTs and returns 8-bit RGB. */
function expandPalette(dict: DicomDataset, pixels: Uint8Array, info: FrameInfo, pixelCount: number): Uint8Array {
  if (info.samplesPerPixel !== 1) throw new DicomDecodeError("PALETTE COLOR image must have one sample per pixel");
  const luts = [0, 1, 2].map((c) => readPaletteLut(dict, c));
  const wide = luts.some((l) => l.bits > 8 && l.entries.some((e) => e > 255));
  const view = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const out = new Uint8Array(pixelCount * 3);
  for (let p = 0; p < pixelCount; p++) {
    const stored = info.bitsAllocated === 8 ? (pixels[p] ?? 0) : info.pixelRepresentation === 1 ? view.getInt16(p * 2, true) : view.getUint16(p * 2, true);
    for (let c = 0; c < 3; c++) {
      const lut = luts[c];
      if (!lut) continue;
      const index = Math.min(Math.max(stored - lut.first, 0), lut.entries.length - 1);
      const entry = lut.entries[index] ?? 0;
      out[p * 3 + c] = wide ? entry >> 8 : entry;
    }
  }
  return out;
}

/** Reads one LUT; big-endian input was already swapped to little endian by swapBinaryElements. */
function readPaletteLut(dict: DicomDataset, component: number): { first: number; bits: number; entries: number[] } {
  const name = ["Red", "Green", "Blue"][component] ?? "";
  const descriptor = dict[PALETTE_TAGS.descriptors[component] ?? ""]?.Value?.map(Number);
  const dataElement = dict[PALETTE_TAGS.data[component] ?? ""];
  if (!descriptor || descriptor.length < 3) throw new DicomDecodeError(`PALETTE COLOR image has no ${name} LUT descriptor`);
  if (!dataElement?.Value?.length) {
    const segmented = dict[PALETTE_TAGS.segmented[component] ?? ""];
    throw new DicomDecodeError(segmented ? "segmented palette colour LUTs are not supported" : `PALETTE COLOR image has no ${name} LUT data`);
  }
  const count = descriptor[0] === 0 ? 65536 : (descriptor[0] ?? 0);
  const first = descriptor[1] ?? 0;
  const bits = descriptor[2] ?? 16;
  const bytes = concat(toFragmentList(dataElement.Value));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: number[] = [];
  if (bits <= 8 && bytes.length === count) {
    for (let i = 0; i < count; i++) entries.push(bytes[i] ?? 0);
  } else {
    const available = Math.floor(bytes.length / 2);
    for (let i = 0; i < Math.min(count, available); i++) {
      const word = view.getUint16(i * 2, true);
      entries.push(bits <= 8 ? word & 0xff : word);
    }
  }
  if (entries.length === 0) throw new DicomDecodeError(`PALETTE COLOR ${name} LUT is empty`);
  return { first, bits, entries };
}

/**
 * Once decoded, the lossy transfer syntax no longer tells readers the pixels were degraded, so
 * record it (PS3.3 C.7.6.1.1.5) unless the writer already said; "00" stays, because JPEG 2000
 * and JPEG-LS near-lossless UIDs may also carry reversible streams.
 */
function markLossy(ds: DicomDataset, ts: TransferSyntaxInfo): void {
  if (ds[TAG.lossyCompression]?.Value?.length) return;
  setValue(ds, TAG.lossyCompression, "CS", "01");
  const method = lossyMethod[ts.codec];
  if (method && !ds[TAG.lossyMethod]) setValue(ds, TAG.lossyMethod, "CS", method);
}

function setValue(ds: DicomDataset, tag: string, vr: string, value: string | number): void {
  ds[tag] = { vr, Value: [value] };
}

function first(ds: DicomDataset, tag: string): unknown {
  return ds[tag]?.Value?.[0];
}

function numberOf(ds: DicomDataset, tag: string): number | undefined {
  const v = first(ds, tag);
  if (v === undefined || v === null || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function evenLengthBuffer(data: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(data.length + (data.length % 2));
  out.set(data);
  return out.buffer;
}

function errorText(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "number") return `codec error code ${cause}`;
  return String(cause);
}
