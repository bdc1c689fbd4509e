import { deidentifyPart10Parts, type DeidReport } from "./deidentify";
import type { IngestedInstance, PrepareDicom } from "./ingest-types";
import { readInstanceMeta } from "./instance-meta";
import { normalizePart10 } from "./normalize";
import { preflightDicom } from "./preflight";
import { EXPLICIT_VR_LITTLE_ENDIAN, getTransferSyntax } from "./transfer-syntax";

export type IngestOptions = {
  /** The installation's secret UID salt (db setting "deid.uid-salt"). */
  uidSalt: string;
  /** Bundles carry descriptions an educator already reviewed; raw uploads do not. */
  keepDescriptions: boolean;
  /** Largest decoded image accepted per file (guards the de-identifier, which trusts element lengths). */
  maxDecodedBytes?: number;
  /** Called with each file's de-identification report (for upload review screens). */
  onReport?: (source: string, report: DeidReport) => void;
};

/** One file prepared for storage, as byte ranges to write in order (see {@link createDicomPartsPreparer}). */
export type PreparedParts = {
  instance: Omit<IngestedInstance, "bytes">;
  parts: Uint8Array[];
  size: number;
  /**
   * Where the input's PixelData element is when the stored bytes are the new header followed by that element as
   * it was (nothing normalised): the stored bytes past the header are then determined by the input's bytes
   * before and after this range. Null otherwise.
   */
  pixelRange: { start: number; end: number } | null;
};

/**
 * The one path every DICOM file takes before storage: de-identify (allow-list profile), then normalise to
 * uncompressed Explicit VR Little Endian when needed, then index the header. Originals never leave memory.
 * The stored bytes come back as parts (the new header, then views of the input's pixel data): the input must
 * not change while they are in use.
 */
export function createDicomPartsPreparer(options: IngestOptions): (bytes: Uint8Array, source: string) => Promise<PreparedParts> {
  return async (bytes, source) => {
    // dcmjs trusts element lengths and VRs: one wrong byte could make it allocate gigabytes. Check the structure first.
    preflightDicom(bytes, options.maxDecodedBytes ?? 2 * 1024 ** 3);
    const deid = deidentifyPart10Parts(bytes, { uidSalt: options.uidSalt, keepDescriptions: options.keepDescriptions });
    options.onReport?.(source, deid.report);
    // The header is the first part and holds everything the index reads.
    const header = readInstanceMeta(deid.parts[0]!);
    const syntax = getTransferSyntax(header.TransferSyntaxUID);
    // Uncompressed little-endian grayscale/RGB is already what the viewer reads: copy its pixels through.
    const needsNormalising =
      header.TransferSyntaxUID !== EXPLICIT_VR_LITTLE_ENDIAN ||
      syntax?.encapsulated ||
      header.PlanarConfiguration === 1 ||
      header.PhotometricInterpretation === "PALETTE COLOR" ||
      header.PhotometricInterpretation?.startsWith("YBR");
    if (!needsNormalising) return { instance: toIngested(header), parts: deid.parts, size: deid.size, pixelRange: deid.pixelRange };
    const stored = await normalizePart10(joinParts(deid.parts, deid.size));
    return { instance: toIngested(readInstanceMeta(stored)), parts: [stored], size: stored.byteLength, pixelRange: null };
  };
}

/** {@link createDicomPartsPreparer} with the stored bytes in one array. */
export function createDicomPreparer(options: IngestOptions): PrepareDicom {
  const prepare = createDicomPartsPreparer(options);
  return async (bytes, source) => {
    const { instance, parts, size } = await prepare(bytes, source);
    return { bytes: joinParts(parts, size), ...instance };
  };
}

function joinParts(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

function toIngested(m: ReturnType<typeof readInstanceMeta>): Omit<IngestedInstance, "bytes"> {
  return {
    studyInstanceUid: m.StudyInstanceUID,
    seriesInstanceUid: m.SeriesInstanceUID,
    sopInstanceUid: m.SOPInstanceUID,
    sopClassUid: m.SOPClassUID,
    frameOfReferenceUid: m.FrameOfReferenceUID ?? null,
    modality: m.Modality ?? "OT",
    studyDescription: m.StudyDescription ?? "",
    seriesDescription: m.SeriesDescription ?? "",
    seriesNumber: m.SeriesNumber ?? null,
    instanceNumber: m.InstanceNumber ?? null,
    imagePosition: m.ImagePositionPatient ?? null,
    imageOrientation: m.ImageOrientationPatient ?? null,
    sliceLocation: m.SliceLocation ?? null,
    sliceThickness: m.SliceThickness ?? null,
    pixelSpacing: m.PixelSpacing ?? null,
    rows: m.Rows,
    columns: m.Columns,
    frames: m.NumberOfFrames,
    transferSyntaxUid: m.TransferSyntaxUID,
    windowCenter: m.WindowCenter ?? null,
    windowWidth: m.WindowWidth ?? null,
  };
}
