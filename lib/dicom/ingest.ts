import { deidentifyPart10, type DeidReport } from "./deidentify";
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

/**
 * The one path every DICOM file takes before storage: de-identify (allow-list profile), then normalise to
 * uncompressed Explicit VR Little Endian when needed, then index the header. Originals never leave memory.
 */
export function createDicomPreparer(options: IngestOptions): PrepareDicom {
  return async (bytes, source) => {
    // dcmjs trusts element lengths and VRs: one wrong byte could make it allocate gigabytes. Check the structure first.
    preflightDicom(bytes, options.maxDecodedBytes ?? 2 * 1024 ** 3);
    const deid = deidentifyPart10(bytes, { uidSalt: options.uidSalt, keepDescriptions: options.keepDescriptions });
    options.onReport?.(source, deid.report);
    let stored = deid.bytes;
    const header = readInstanceMeta(stored);
    const syntax = getTransferSyntax(header.TransferSyntaxUID);
    // Uncompressed little-endian grayscale/RGB is already what the viewer reads: copy its pixels through.
    const needsNormalising =
      header.TransferSyntaxUID !== EXPLICIT_VR_LITTLE_ENDIAN ||
      syntax?.encapsulated ||
      header.PlanarConfiguration === 1 ||
      header.PhotometricInterpretation === "PALETTE COLOR" ||
      header.PhotometricInterpretation?.startsWith("YBR");
    if (needsNormalising) {
      stored = await normalizePart10(stored);
    }
    const meta = stored === deid.bytes ? header : readInstanceMeta(stored);
    return toIngested(stored, meta);
  };
}

function toIngested(bytes: Uint8Array, m: ReturnType<typeof readInstanceMeta>): IngestedInstance {
  return {
    bytes,
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
