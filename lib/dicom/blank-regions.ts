import { createHash } from "node:crypto";
import { z } from "zod";
import { DicomDecodeError } from "./codecs/errors";
import type { DicomDataset } from "dcmjs";
import { readPart10, writePart10 } from "./normalize";
import { cleanUid, getTransferSyntax } from "./transfer-syntax";
import { deriveUid } from "./uid-map";

/** A rectangle in image pixels: `x` columns from the left, `y` rows from the top, both zero-based. */
export type BlankRect = { x: number; y: number; width: number; height: number };

/** The most rectangles one blanking may carry; a screenshot rarely needs more than a handful. */
export const MAX_BLANK_RECTS = 50;

/**
 * The rectangles an educator sends for an image of `columns` x `rows` pixels: whole pixels, at least one pixel
 * wide and high, entirely inside the image. Every message names the rectangle it is about.
 */
export function blankRectsSchema(columns: number, rows: number) {
  const rect = z
    .object({
      x: z.number().int("Use whole pixels").min(0, "Starts left of the image"),
      y: z.number().int("Use whole pixels").min(0, "Starts above the image"),
      width: z.number().int("Use whole pixels").min(1, "Draw at least one pixel wide"),
      height: z.number().int("Use whole pixels").min(1, "Draw at least one pixel high"),
    })
    .superRefine((r, ctx) => {
      if (r.x + r.width > columns) ctx.addIssue({ code: "custom", path: ["width"], message: `Ends right of the image (${columns} columns)` });
      if (r.y + r.height > rows) ctx.addIssue({ code: "custom", path: ["height"], message: `Ends below the image (${rows} rows)` });
    });
  return z.array(rect).min(1, "Draw at least one rectangle").max(MAX_BLANK_RECTS, `Use at most ${MAX_BLANK_RECTS} rectangles`);
}

export type BlankResult = {
  /** The new Part 10 file. */
  bytes: Uint8Array;
  /** Stored value written into the rectangles, per sample (one for grey, three for RGB). */
  fill: number[];
  /** Pixels blanked per frame (overlapping rectangles count once). */
  pixelsPerFrame: number;
  frames: number;
  /** The new instance's SOPInstanceUID (file meta and data set), and the one it was derived from. */
  sopInstanceUid: string;
  sourceSopInstanceUid: string;
};

/** The DeidentificationMethod value and CID 7050 code a blanking adds (PS3.15 Clean Pixel Data Option). */
export const CLEAN_PIXEL_METHOD = "Burned-in text blanked by the educator (Casebook)";
export const CLEAN_PIXEL_CODE = { value: "113101", meaning: "Clean Pixel Data Option" } as const;
/** The DerivationDescription a blanking adds, and the CID 7202 purpose of its reference to the source image. */
export const BLANKED_DERIVATION = "Burned-in text blanked by the educator (Casebook)";
const SOURCE_IMAGE_PURPOSE = { value: "121322", meaning: "Source image for image processing operation" } as const;
const UID_DOMAIN = "blanked-sop-instance";

const TAG = {
  rows: "00280010",
  columns: "00280011",
  samples: "00280002",
  photometric: "00280004",
  planar: "00280006",
  frames: "00280008",
  bitsAllocated: "00280100",
  pixelRepresentation: "00280103",
  burnedIn: "00280301",
  deidMethod: "00120063",
  deidMethodCodes: "00120064",
  sopClass: "00080016",
  sopInstance: "00080018",
  imageType: "00080008",
  derivationDescription: "00082111",
  sourceImages: "00082112",
  mediaSopInstance: "00020003",
  pixelData: "7FE00010",
  transferSyntax: "00020010",
} as const;

const num = (ds: DicomDataset, tag: string): number | undefined => {
  const v = ds[tag]?.Value?.[0];
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (ds: DicomDataset, tag: string): string => String(ds[tag]?.Value?.[0] ?? "").trim();

/**
 * Blanks rectangles of every frame of a stored (normalised: native, little endian) image and returns the new file:
 * MONOCHROME2 takes the image's minimum stored value, MONOCHROME1 its maximum (black after inversion), RGB zero in
 * every channel (interleaved or planar). BurnedInAnnotation becomes NO and the de-identification method and codes
 * record that pixels were cleaned. Everything outside the rectangles is byte-for-byte unchanged.
 *
 * Changed pixels make a new instance (PS3.3 C.12.1.1.1): it gets a new SOPInstanceUID in the data set and the file
 * meta, derived from the source's UID and the new pixels under the installation salt (`uidSalt`, as de-identification
 * derives its UIDs), so the same blanking of the same image is named alike. ImageType becomes DERIVED, and
 * DerivationDescription and SourceImageSequence say what it was made from and how.
 *
 * The rectangles must already be valid for the image ({@link blankRectsSchema}); they are checked again here.
 *
 * @throws DicomDecodeError for compressed pixels, unsupported photometric interpretations or bit depths.
 * @throws DicomInvalidError for bytes that are not a readable DICOM file.
 */
export function blankRegions(bytes: Uint8Array, rects: readonly BlankRect[], options: { uidSalt: string }): BlankResult {
  const { dict, meta } = readPart10(bytes);
  const tsUid = cleanUid(str(meta, TAG.transferSyntax));
  const ts = getTransferSyntax(tsUid);
  if (!ts || ts.encapsulated || !ts.littleEndian) throw new DicomDecodeError(`blanking needs native little-endian pixels, got ${ts?.name ?? (tsUid || "no transfer syntax")}`);

  const rows = num(dict, TAG.rows) ?? 0;
  const columns = num(dict, TAG.columns) ?? 0;
  const samples = num(dict, TAG.samples) ?? 1;
  const planar = num(dict, TAG.planar) ?? 0;
  const bitsAllocated = num(dict, TAG.bitsAllocated) ?? 0;
  const signed = num(dict, TAG.pixelRepresentation) === 1;
  const frames = Math.max(1, Math.trunc(num(dict, TAG.frames) ?? 1));
  const photometric = str(dict, TAG.photometric) || "MONOCHROME2";
  const pixelValue = dict[TAG.pixelData]?.Value;
  const sourceUid = cleanUid(str(dict, TAG.sopInstance) || str(meta, TAG.mediaSopInstance));
  if (!sourceUid) throw new DicomDecodeError("the file has no SOPInstanceUID");
  if (!rows || !columns || !pixelValue?.length) throw new DicomDecodeError("the file has no image pixels");
  if (![8, 16, 32].includes(bitsAllocated)) throw new DicomDecodeError(`BitsAllocated ${bitsAllocated} cannot be blanked`);
  const grey = photometric === "MONOCHROME1" || photometric === "MONOCHROME2";
  if (!(grey && samples === 1) && !(photometric === "RGB" && samples === 3)) {
    throw new DicomDecodeError(`${photometric} with ${samples} samples per pixel cannot be blanked`);
  }
  const parsed = blankRectsSchema(columns, rows).safeParse(rects);
  if (!parsed.success) throw new DicomDecodeError(`rectangles do not fit the image: ${parsed.error.issues.map((i) => i.message).join("; ")}`);

  const source = pixelValue[0];
  if (pixelValue.length !== 1 || !(source instanceof ArrayBuffer)) throw new DicomDecodeError("PixelData is not one native value");
  const bytesPerSample = bitsAllocated / 8;
  const frameSamples = rows * columns * samples;
  const needed = frameSamples * frames * bytesPerSample;
  if (source.byteLength < needed) throw new DicomDecodeError(`PixelData holds ${source.byteLength} bytes, the image needs ${needed}`);
  const pixels = source.slice(0);
  const view = new DataView(pixels);
  const read = (i: number) => {
    const at = i * bytesPerSample;
    if (bitsAllocated === 8) return signed ? view.getInt8(at) : view.getUint8(at);
    if (bitsAllocated === 16) return signed ? view.getInt16(at, true) : view.getUint16(at, true);
    return signed ? view.getInt32(at, true) : view.getUint32(at, true);
  };
  const write = (i: number, v: number) => {
    const at = i * bytesPerSample;
    if (bitsAllocated === 8) signed ? view.setInt8(at, v) : view.setUint8(at, v);
    else if (bitsAllocated === 16) signed ? view.setInt16(at, v, true) : view.setUint16(at, v, true);
    else signed ? view.setInt32(at, v, true) : view.setUint32(at, v, true);
  };

  let fillValue = 0;
  if (grey) {
    // The darkest value the image itself uses, so blanking never stretches the pixel range a viewer windows on.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0, n = frameSamples * frames; i < n; i++) {
      const v = read(i);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    fillValue = photometric === "MONOCHROME1" ? hi : lo;
  }

  const mask = new Uint8Array(rows * columns);
  for (const r of parsed.data) for (let y = r.y; y < r.y + r.height; y++) mask.fill(1, y * columns + r.x, y * columns + r.x + r.width);
  let pixelsPerFrame = 0;
  for (let p = 0; p < mask.length; p++) pixelsPerFrame += mask[p]!;

  for (let f = 0; f < frames; f++) {
    const base = f * frameSamples;
    for (let p = 0; p < mask.length; p++) {
      if (!mask[p]) continue;
      if (samples === 1) write(base + p, fillValue);
      else if (planar === 1) for (let s = 0; s < 3; s++) write(base + s * rows * columns + p, 0);
      else for (let s = 0; s < 3; s++) write(base + p * 3 + s, 0);
    }
  }

  dict[TAG.pixelData] = { ...dict[TAG.pixelData]!, Value: [pixels] };
  dict[TAG.burnedIn] = { vr: "CS", Value: ["NO"] };
  const methods = (dict[TAG.deidMethod]?.Value ?? []).map(String).filter((m) => m !== CLEAN_PIXEL_METHOD);
  dict[TAG.deidMethod] = { vr: "LO", Value: [...methods, CLEAN_PIXEL_METHOD] };
  const codes = (dict[TAG.deidMethodCodes]?.Value ?? []).filter((item) => str(item as DicomDataset, "00080100") !== CLEAN_PIXEL_CODE.value);
  dict[TAG.deidMethodCodes] = {
    vr: "SQ",
    Value: [
      ...codes,
      {
        "00080100": { vr: "SH", Value: [CLEAN_PIXEL_CODE.value] },
        "00080102": { vr: "SH", Value: ["DCM"] },
        "00080104": { vr: "LO", Value: [CLEAN_PIXEL_CODE.meaning] },
      },
    ],
  };
  const sopInstanceUid = deriveUid(options.uidSalt, UID_DOMAIN, `${sourceUid}\u0000${createHash("sha256").update(new Uint8Array(pixels)).digest("hex")}`);
  markDerived(dict, sourceUid, sopInstanceUid);
  meta[TAG.mediaSopInstance] = { vr: "UI", Value: [sopInstanceUid] };
  return { bytes: writePart10({ dict, meta }), fill: grey ? [fillValue] : [0, 0, 0], pixelsPerFrame, frames, sopInstanceUid, sourceSopInstanceUid: sourceUid };
}

/** Renames the data set as a new instance derived from `sourceUid` and says so (General Image module). */
function markDerived(dict: DicomDataset, sourceUid: string, sopInstanceUid: string): void {
  dict[TAG.sopInstance] = { vr: "UI", Value: [sopInstanceUid] };
  const imageType = (dict[TAG.imageType]?.Value ?? []).map(String);
  dict[TAG.imageType] = { vr: "CS", Value: imageType.length > 0 ? ["DERIVED", ...imageType.slice(1)] : ["DERIVED", "SECONDARY"] };
  const earlier = str(dict, TAG.derivationDescription);
  const description = earlier && !earlier.includes(BLANKED_DERIVATION) ? `${earlier}; ${BLANKED_DERIVATION}` : BLANKED_DERIVATION;
  dict[TAG.derivationDescription] = { vr: "ST", Value: [description.slice(-1024)] };
  dict[TAG.sourceImages] = {
    vr: "SQ",
    Value: [
      ...(dict[TAG.sourceImages]?.Value ?? []),
      {
        "00081150": { vr: "UI", Value: [str(dict, TAG.sopClass)] },
        "00081155": { vr: "UI", Value: [sourceUid] },
        "0040A170": {
          vr: "SQ",
          Value: [
            {
              "00080100": { vr: "SH", Value: [SOURCE_IMAGE_PURPOSE.value] },
              "00080102": { vr: "SH", Value: ["DCM"] },
              "00080104": { vr: "LO", Value: [SOURCE_IMAGE_PURPOSE.meaning] },
            },
          ],
        },
      },
    ],
  };
}
