import dicomParser from "dicom-parser";
import type { DataSet } from "dicom-parser";
import { computeAutoWindow } from "./window-level";

/** Thrown when a file cannot become an image; the message is shown to the user as is. */
export class DecodeError extends Error {
  constructor(reason: string) {
    super(`This image could not be decoded: ${reason}`);
    this.name = "DecodeError";
  }
}

const NATIVE_SYNTAXES: Record<string, string> = {
  "1.2.840.10008.1.2": "Implicit VR Little Endian",
  "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
  "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
};

const KNOWN_COMPRESSED: Record<string, string> = {
  "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
  "1.2.840.10008.1.2.4.50": "JPEG Baseline",
  "1.2.840.10008.1.2.4.51": "JPEG Extended",
  "1.2.840.10008.1.2.4.57": "JPEG Lossless",
  "1.2.840.10008.1.2.4.70": "JPEG Lossless SV1",
  "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
  "1.2.840.10008.1.2.4.81": "JPEG-LS Near-lossless",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
  "1.2.840.10008.1.2.4.91": "JPEG 2000",
  "1.2.840.10008.1.2.5": "RLE Lossless",
};

/** Header values the viewer shows or measures with. Never patient identifiers. */
export type ImageMeta = {
  modality: string | null;
  seriesDescription: string | null;
  photometric: string;
  transferSyntax: string;
  numberOfFrames: number;
  sliceLocation: number | null;
  sliceThickness: number | null;
  imagePosition: [number, number, number] | null;
  imageOrientation: number[] | null;
  pixelPadding: number | null;
  /** Window from the file's own tags, when present and usable. */
  tagWindow: { width: number; center: number } | null;
};

export type StoredPixels = Uint8Array | Int8Array | Uint16Array | Int16Array;

/** The cornerstone image object plus the header values above. */
export type CasebookImage = {
  imageId: string;
  minPixelValue: number;
  maxPixelValue: number;
  slope: number;
  intercept: number;
  windowCenter: number;
  windowWidth: number;
  getPixelData: () => StoredPixels | Uint8Array;
  rows: number;
  columns: number;
  height: number;
  width: number;
  color: boolean;
  rgba: boolean;
  columnPixelSpacing: number | undefined;
  rowPixelSpacing: number | undefined;
  invert: boolean;
  sizeInBytes: number;
  meta: ImageMeta;
  [extra: string]: unknown;
};

function numberAt(ds: DataSet, tag: string, index = 0): number | null {
  const text = ds.string(tag, index);
  if (text === undefined || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function numbers(ds: DataSet, tag: string): number[] | null {
  const text = ds.string(tag);
  if (!text) return null;
  const values = text.split("\\").map((s) => Number(s));
  return values.every(Number.isFinite) ? values : null;
}

function usValue(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return null;
  return ds.uint16(tag) ?? null;
}

/** Parses a Part 10 file, turning parser exceptions into a DecodeError with the parser's reason. */
export function parseDataSet(byteArray: Uint8Array): DataSet {
  try {
    return dicomParser.parseDicom(byteArray);
  } catch (error) {
    // dicom-parser throws strings or { exception, dataSet }.
    const reason =
      typeof error === "string"
        ? error
        : error instanceof Error
          ? error.message
          : typeof error === "object" && error !== null && "exception" in error
            ? String((error as { exception: unknown }).exception)
            : "not a DICOM file";
    throw new DecodeError(reason);
  }
}

/** Header fields used for overlays and geometry; pure. */
export function readImageMeta(ds: DataSet): ImageMeta {
  const position = numbers(ds, "x00200032");
  const orientation = numbers(ds, "x00200037");
  const wc = numberAt(ds, "x00281050");
  const ww = numberAt(ds, "x00281051");
  const paddingEl = ds.elements.x00280120;
  const signed = usValue(ds, "x00280103") === 1;
  let pixelPadding: number | null = null;
  if (paddingEl && paddingEl.length >= 2) pixelPadding = signed ? ds.int16("x00280120")! : ds.uint16("x00280120")!;
  return {
    modality: ds.string("x00080060") ?? null,
    seriesDescription: ds.string("x0008103e") ?? null,
    photometric: (ds.string("x00280004") ?? "MONOCHROME2").trim().toUpperCase(),
    transferSyntax: ds.string("x00020010") ?? "1.2.840.10008.1.2",
    numberOfFrames: Math.max(1, numberAt(ds, "x00280008") ?? 1),
    sliceLocation: numberAt(ds, "x00201041"),
    sliceThickness: numberAt(ds, "x00180050"),
    imagePosition: position && position.length === 3 ? (position as [number, number, number]) : null,
    imageOrientation: orientation && orientation.length === 6 ? orientation : null,
    pixelPadding,
    tagWindow: wc !== null && ww !== null && ww > 0 ? { width: ww, center: wc } : null,
  };
}

function minMax(pixels: StoredPixels): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function swap16(bytes: Uint8Array): void {
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const t = bytes[i]!;
    bytes[i] = bytes[i + 1]!;
    bytes[i + 1] = t;
  }
}

/**
 * Keeps only the BitsStored low bits, sign-extending when signed (old files put overlays in the
 * high bits). The padding value is left alone: scanners write e.g. -2000 into 11-bit CT.
 */
function maskStoredBits(pixels: Uint16Array | Int16Array, bitsStored: number, signed: boolean, padding: number | null): void {
  if (bitsStored >= 16 || bitsStored < 1) return;
  const mask = (1 << bitsStored) - 1;
  const shift = 32 - bitsStored;
  for (let i = 0; i < pixels.length; i++) {
    const raw = pixels[i] as number;
    if (raw === padding) continue;
    const v = raw & mask;
    pixels[i] = signed ? (v << shift) >> shift : v;
  }
}

function toRgba(bytes: Uint8Array, pixelCount: number, planar: boolean, ybr: boolean): Uint8Array {
  const out = new Uint8Array(pixelCount * 4);
  for (let i = 0; i < pixelCount; i++) {
    let r: number, g: number, b: number;
    if (planar) {
      r = bytes[i]!;
      g = bytes[i + pixelCount]!;
      b = bytes[i + 2 * pixelCount]!;
    } else {
      r = bytes[3 * i]!;
      g = bytes[3 * i + 1]!;
      b = bytes[3 * i + 2]!;
    }
    if (ybr) {
      const y = r, cb = g - 128, cr = b - 128;
      r = y + 1.402 * cr;
      g = y - 0.344136 * cb - 0.714136 * cr;
      b = y + 1.772 * cb;
    }
    out[4 * i] = Math.max(0, Math.min(255, Math.round(r)));
    out[4 * i + 1] = Math.max(0, Math.min(255, Math.round(g)));
    out[4 * i + 2] = Math.max(0, Math.min(255, Math.round(b)));
    out[4 * i + 3] = 255;
  }
  return out;
}

function assertNativeSyntax(syntax: string): void {
  if (NATIVE_SYNTAXES[syntax]) return;
  const name = KNOWN_COMPRESSED[syntax] ?? "unknown transfer syntax";
  throw new DecodeError(`${name} (${syntax}) is compressed; the server should have stored it uncompressed`);
}

/**
 * Builds the cornerstone image object for frame `frame` of a DICOM file with native (uncompressed)
 * pixel data. Pure: same bytes in, same image out. Throws DecodeError for anything it cannot show
 * (compressed syntaxes, missing or truncated pixel data, unsupported bit depths).
 */
export function createImage(byteArray: Uint8Array, frame = 0, imageId = ""): CasebookImage {
  // Check the syntax from the meta header first: a deflated body would fail to parse with an obscure reason.
  let headerSyntax: string | undefined;
  try {
    headerSyntax = dicomParser.readPart10Header(byteArray).string("x00020010")?.trim();
  } catch {
    headerSyntax = undefined; // parseDataSet below reports the real reason
  }
  if (headerSyntax) assertNativeSyntax(headerSyntax);
  const ds = parseDataSet(byteArray);
  const meta = readImageMeta(ds);
  const syntax = meta.transferSyntax.trim();
  assertNativeSyntax(syntax);
  const pixelEl = ds.elements.x7fe00010;
  if (!pixelEl) throw new DecodeError("the file has no pixel data");
  if (pixelEl.encapsulatedPixelData) throw new DecodeError("the pixel data is encapsulated (compressed)");

  const rows = usValue(ds, "x00280010") ?? 0;
  const columns = usValue(ds, "x00280011") ?? 0;
  const samples = usValue(ds, "x00280002") ?? 1;
  const bitsAllocated = usValue(ds, "x00280100") ?? 16;
  const bitsStored = usValue(ds, "x00280101") ?? bitsAllocated;
  const signed = usValue(ds, "x00280103") === 1;
  const planar = usValue(ds, "x00280006") === 1;
  if (rows === 0 || columns === 0) throw new DecodeError("rows or columns are missing");
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new DecodeError(`${bitsAllocated}-bit pixels are not supported`);
  if (samples !== 1 && samples !== 3) throw new DecodeError(`${samples} samples per pixel are not supported`);
  if (frame < 0 || frame >= meta.numberOfFrames) throw new DecodeError(`frame ${frame} is out of range (${meta.numberOfFrames} frames)`);

  const pixelCount = rows * columns;
  const bytesPerFrame = pixelCount * samples * (bitsAllocated / 8);
  const start = pixelEl.dataOffset + frame * bytesPerFrame;
  const end = start + bytesPerFrame;
  if (end > pixelEl.dataOffset + pixelEl.length || end > byteArray.length) throw new DecodeError("the pixel data is truncated");

  // A view on the file's bytes when they can be used as they are; else a copy, which aligns 16-bit data
  // (dataOffset may be odd) and takes the byte swap and bit masking below without changing the file's bytes
  // (a multi-frame file's bytes are kept and read again for each frame).
  const bigEndian = syntax === "1.2.840.10008.1.2.2" && bitsAllocated === 16;
  const masked = samples === 1 && bitsAllocated === 16 && bitsStored >= 1 && bitsStored < 16;
  const aligned = bitsAllocated === 8 || (byteArray.byteOffset + start) % 2 === 0;
  const frameBytes =
    aligned && !bigEndian && !masked
      ? byteArray.subarray(start, end)
      : new Uint8Array(byteArray.buffer.slice(byteArray.byteOffset + start, byteArray.byteOffset + end));
  if (bigEndian) swap16(frameBytes);

  const slopeTag = numberAt(ds, "x00281053");
  const slope = slopeTag === null || slopeTag === 0 ? 1 : slopeTag;
  const intercept = numberAt(ds, "x00281052") ?? 0;
  const spacing = numbers(ds, "x00280030");
  const rowPixelSpacing = spacing && spacing.length >= 2 && spacing[0]! > 0 ? spacing[0] : undefined;
  const columnPixelSpacing = spacing && spacing.length >= 2 && spacing[1]! > 0 ? spacing[1] : undefined;

  if (samples === 3) {
    if (bitsAllocated !== 8) throw new DecodeError("16-bit colour is not supported");
    const ybr = meta.photometric.startsWith("YBR_FULL");
    if (meta.photometric !== "RGB" && !ybr) throw new DecodeError(`photometric ${meta.photometric} is not supported`);
    const rgba = toRgba(frameBytes, pixelCount, planar, ybr);
    return {
      imageId, minPixelValue: 0, maxPixelValue: 255, slope: 1, intercept: 0, windowCenter: 128, windowWidth: 256,
      getPixelData: () => rgba, rows, columns, height: rows, width: columns, color: true, rgba: false,
      columnPixelSpacing, rowPixelSpacing, invert: false, sizeInBytes: rgba.byteLength, meta,
    };
  }
  if (meta.photometric !== "MONOCHROME1" && meta.photometric !== "MONOCHROME2") {
    throw new DecodeError(`photometric ${meta.photometric} is not supported`);
  }

  const { buffer, byteOffset, byteLength } = frameBytes;
  let pixels: StoredPixels;
  if (bitsAllocated === 8) {
    pixels = signed ? new Int8Array(buffer, byteOffset, byteLength) : frameBytes;
  } else {
    pixels = signed ? new Int16Array(buffer, byteOffset, byteLength / 2) : new Uint16Array(buffer, byteOffset, byteLength / 2);
    if (masked) maskStoredBits(pixels, bitsStored, signed, meta.pixelPadding);
  }

  // The stored pixel range is first needed when the image is drawn, not when it is loaded: a series loads
  // hundreds of images ahead of the one on screen, and for a 512x512 slice the scan costs more than the parse.
  let range: { min: number; max: number } | null = null;
  const pixelRange = () => (range ??= minMax(pixels));
  const window =
    meta.tagWindow ?? computeAutoWindow(pixels, { slope, intercept, padding: meta.pixelPadding, modality: meta.modality });

  return {
    imageId,
    // Accessors: cornerstone reads these when it builds the lookup table for the first draw (and may set them).
    get minPixelValue() {
      return pixelRange().min;
    },
    set minPixelValue(value: number) {
      pixelRange().min = value;
    },
    get maxPixelValue() {
      return pixelRange().max;
    },
    set maxPixelValue(value: number) {
      pixelRange().max = value;
    },
    slope,
    intercept,
    windowCenter: window.center,
    windowWidth: window.width,
    getPixelData: () => pixels,
    rows,
    columns,
    height: rows,
    width: columns,
    color: false,
    rgba: false,
    columnPixelSpacing,
    rowPixelSpacing,
    invert: meta.photometric === "MONOCHROME1",
    sizeInBytes: pixels.byteLength,
    meta,
  };
}
