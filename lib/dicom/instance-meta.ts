import { inflateRawSync } from "node:zlib";
import dicomParser, { type DataSet } from "dicom-parser";
import { z } from "zod";

/** Bytes that are not a usable DICOM instance; the message names what is wrong for the uploader. */
export class DicomInvalidError extends Error {
  override readonly name = "DicomInvalidError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const uid = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, "is not a valid UID").max(64);
const count = z.number().int().positive();
const finite = z.number().finite();

/**
 * What Casebook indexes about one stored instance. Keys are the DICOM keywords so that they
 * read the same as the standard and dcmjs's naturalised data sets.
 */
export const instanceMetaSchema = z.object({
  StudyInstanceUID: uid,
  SeriesInstanceUID: uid,
  SOPInstanceUID: uid,
  SOPClassUID: uid,
  TransferSyntaxUID: uid,
  FrameOfReferenceUID: uid.optional(),
  Modality: z.string().optional(),
  StudyDescription: z.string().optional(),
  SeriesDescription: z.string().optional(),
  SeriesNumber: z.number().int().optional(),
  InstanceNumber: z.number().int().optional(),
  ImagePositionPatient: z.tuple([finite, finite, finite]).optional(),
  ImageOrientationPatient: z.tuple([finite, finite, finite, finite, finite, finite]).optional(),
  SliceLocation: finite.optional(),
  SliceThickness: finite.optional(),
  PixelSpacing: z.tuple([finite, finite]).optional(),
  Rows: count,
  Columns: count,
  NumberOfFrames: count,
  BitsAllocated: count.optional(),
  BitsStored: count.optional(),
  PixelRepresentation: z.union([z.literal(0), z.literal(1)]),
  SamplesPerPixel: count,
  PhotometricInterpretation: z.string().optional(),
  /** Only meaningful for colour; 1 means RRR..GGG..BBB, which normalisation turns into 0. */
  PlanarConfiguration: z.union([z.literal(0), z.literal(1)]).optional(),
  WindowCenter: finite.optional(),
  WindowWidth: finite.optional(),
  RescaleSlope: finite.optional(),
  RescaleIntercept: finite.optional(),
  BurnedInAnnotation: z.enum(["YES", "NO"]).optional(),
});

export type InstanceMeta = z.infer<typeof instanceMetaSchema>;

const required = {
  StudyInstanceUID: "x0020000d",
  SeriesInstanceUID: "x0020000e",
  SOPInstanceUID: "x00080018",
  SOPClassUID: "x00080016",
  TransferSyntaxUID: "x00020010",
  Rows: "x00280010",
  Columns: "x00280011",
} as const;

/**
 * Reads the header of a DICOM Part 10 file without touching its pixel data.
 *
 * @throws DicomInvalidError for non-DICOM bytes, an unreadable header, or a missing
 *   required UID, Rows or Columns (the message names the attribute).
 */
export function readInstanceMeta(bytes: Uint8Array): InstanceMeta {
  // Stopping at PixelData keeps this fast on large multi-frame files.
  const ds = parseDicomBytes(bytes, { headerOnly: true });

  for (const [keyword, tag] of Object.entries(required)) {
    const present = tag === required.Rows || tag === required.Columns ? ds.elements[tag]?.length : text(ds, tag);
    if (!present) throw new DicomInvalidError(`${keyword} is missing`);
  }

  const candidate = {
    StudyInstanceUID: text(ds, required.StudyInstanceUID),
    SeriesInstanceUID: text(ds, required.SeriesInstanceUID),
    SOPInstanceUID: text(ds, required.SOPInstanceUID),
    SOPClassUID: text(ds, required.SOPClassUID),
    TransferSyntaxUID: text(ds, required.TransferSyntaxUID),
    FrameOfReferenceUID: text(ds, "x00200052"),
    Modality: text(ds, "x00080060"),
    StudyDescription: text(ds, "x00081030"),
    SeriesDescription: text(ds, "x0008103e"),
    SeriesNumber: integer(ds, "x00200011"),
    InstanceNumber: integer(ds, "x00200013"),
    ImagePositionPatient: decimals(ds, "x00200032", 3),
    ImageOrientationPatient: decimals(ds, "x00200037", 6),
    SliceLocation: decimals(ds, "x00201041", 1)?.[0],
    SliceThickness: decimals(ds, "x00180050", 1)?.[0],
    PixelSpacing: decimals(ds, "x00280030", 2),
    Rows: ds.uint16(required.Rows),
    Columns: ds.uint16(required.Columns),
    NumberOfFrames: integer(ds, "x00280008") ?? 1,
    BitsAllocated: ds.uint16("x00280100"),
    BitsStored: ds.uint16("x00280101"),
    PixelRepresentation: ds.uint16("x00280103") ?? 0,
    SamplesPerPixel: ds.uint16("x00280002") ?? 1,
    PhotometricInterpretation: text(ds, "x00280004"),
    PlanarConfiguration: ds.uint16("x00280006"),
    WindowCenter: decimals(ds, "x00281050", 1)?.[0],
    WindowWidth: decimals(ds, "x00281051", 1)?.[0],
    RescaleSlope: decimals(ds, "x00281053", 1)?.[0],
    RescaleIntercept: decimals(ds, "x00281052", 1)?.[0],
    BurnedInAnnotation: text(ds, "x00280301")?.toUpperCase(),
  };

  const parsed = instanceMetaSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const attribute = String(issue?.path[0] ?? "header");
    throw new DicomInvalidError(`${attribute} is invalid: ${issue?.message ?? "unexpected value"}`);
  }
  return parsed.data;
}

/**
 * Parses Part 10 bytes with dicom-parser (no pixel copy) and checks that no element runs past
 * the end of the data, which dicom-parser alone does not report for native PixelData.
 *
 * @throws DicomInvalidError "not a DICOM Part 10 file" without the DICM prefix, or a
 *   "truncated or corrupt" message when the structure cannot be read.
 */
export function parseDicomBytes(bytes: Uint8Array, options: { headerOnly?: boolean } = {}): DataSet {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) {
    throw new DicomInvalidError("not a DICOM Part 10 file");
  }
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { inflater, ...(options.headerOnly ? { untilTag: "x7fe00010" } : {}) });
  } catch (cause) {
    // Encapsulated PixelData is scanned to its end even with untilTag; for a header-only read,
    // a file cut inside PixelData still has a complete header.
    const partial = (cause as { dataSet?: DataSet } | null)?.dataSet;
    if (!options.headerOnly || !partial?.elements.x7fe00010) {
      throw new DicomInvalidError(`DICOM file is truncated or corrupt: ${describeParserError(cause)}`, { cause });
    }
    ds = partial;
  }
  if (!options.headerOnly) {
    for (const element of Object.values(ds.elements)) {
      if (element.dataOffset + element.length > ds.byteArray.length) {
        throw new DicomInvalidError(`DICOM file is truncated: element ${element.tag.slice(1).toUpperCase()} ends past the end of the file`);
      }
    }
  }
  return ds;
}

/** dicom-parser throws strings, Errors, or { exception, dataSet } objects. */
function describeParserError(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "string") return cause;
  if (cause && typeof cause === "object" && "exception" in cause) return String((cause as { exception: unknown }).exception);
  return "unreadable data";
}

/** Deflated data sets: dicom-parser's own Node path needs a Buffer, so inflate explicitly. */
function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position));
  full.set(inflated, position);
  return full;
}

/** Trimmed string value, or undefined when absent or empty (also strips UID NUL padding). */
function text(ds: DataSet, tag: string): string | undefined {
  const value = ds.string(tag)?.replace(/\0+$/, "").trim();
  return value ? value : undefined;
}

function integer(ds: DataSet, tag: string): number | undefined {
  const value = text(ds, tag);
  if (value === undefined) return undefined;
  const n = Number.parseInt(value.split("\\")[0] ?? "", 10);
  return Number.isFinite(n) ? n : undefined;
}

/** The first `n` values of a multi-valued DS, or undefined unless all n are numbers. */
function decimals(ds: DataSet, tag: string, n: number): number[] | undefined {
  const value = text(ds, tag);
  if (value === undefined) return undefined;
  const parts = value.split("\\").slice(0, n).map((p) => Number.parseFloat(p));
  if (parts.length < n || parts.some((p) => !Number.isFinite(p))) return undefined;
  return parts;
}
