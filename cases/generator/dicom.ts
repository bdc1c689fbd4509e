/**
 * Writes one generated image as a DICOM Part 10 file (Explicit VR Little Endian) with dcmjs:
 * CT Image Storage or MR Image Storage with the modules dciodvfy expects, deterministic UIDs and
 * fixed dates, and no patient identifiers beyond the synthetic patient name.
 */
import { createRequire } from "node:module";
import type { DcmjsModule, NaturalDataset } from "./dcmjs";
import type { CaseDefinition, SeriesSpec } from "./case-def";
import { orientationOf, positionOf } from "./geometry";
import { deterministicUid } from "./prng";

const require = createRequire(import.meta.url);
const dcmjs = require("dcmjs") as DcmjsModule;

export const CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
export const MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** Fixed so every run writes the same bytes; the study is synthetic and undated in reality. */
const STUDY_DATE = "20250101";
const STUDY_TIME = "090000";
const IMPLEMENTATION_UID = deterministicUid("casebook-generator-implementation");

/** DS values must fit 16 characters: round and strip float noise. */
function ds(v: number, digits = 4): number {
  const r = Math.round(v * 10 ** digits) / 10 ** digits;
  return Object.is(r, -0) ? 0 : r;
}

/** Study-level UIDs of a case. */
export function studyUids(slug: string): { study: string; frame: string } {
  return { study: deterministicUid(`${slug}/study`), frame: deterministicUid(`${slug}/frame-of-reference`) };
}

export interface InstanceInput {
  def: CaseDefinition;
  series: SeriesSpec;
  seriesNumber: number;
  index: number;
  pixels: Int16Array | Uint16Array;
  window: { center: number; width: number };
}

/** Builds the naturalized dataset of one instance. */
export function buildDataset(input: InstanceInput): NaturalDataset {
  const { def, series, seriesNumber, index, pixels, window } = input;
  const g = series.geometry;
  const isCt = series.contrast === "CT" || series.contrast === "CTPOST";
  const uids = studyUids(def.slug);
  const seriesUid = deterministicUid(`${def.slug}/series/${series.description}`);
  const sopUid = deterministicUid(`${def.slug}/series/${series.description}/instance/${index + 1}`);
  const pos = positionOf(g, index).map((v) => ds(v));
  const fixed = g.orientation === "axial" ? 2 : g.orientation === "sagittal" ? 0 : 1;
  const post = series.contrast === "CTPOST" || series.contrast === "T1FSGD";
  const plane = g.orientation === "axial" ? "AXIAL" : "OTHER";
  const ds0: NaturalDataset = {
    SpecificCharacterSet: "ISO_IR 100",
    ImageType: isCt ? ["ORIGINAL", "PRIMARY", "AXIAL"] : ["ORIGINAL", "PRIMARY", plane],
    SOPClassUID: isCt ? CT_IMAGE_STORAGE : MR_IMAGE_STORAGE,
    SOPInstanceUID: sopUid,
    StudyDate: STUDY_DATE,
    SeriesDate: STUDY_DATE,
    AcquisitionDate: STUDY_DATE,
    ContentDate: STUDY_DATE,
    StudyTime: STUDY_TIME,
    SeriesTime: `09${String(seriesNumber % 60).padStart(2, "0")}00`,
    AcquisitionTime: STUDY_TIME,
    ContentTime: STUDY_TIME,
    AccessionNumber: "",
    Modality: isCt ? "CT" : "MR",
    Manufacturer: "CASEBOOK",
    InstitutionName: "CASEBOOK SYNTHETIC",
    ReferringPhysicianName: "",
    StudyDescription: def.studyDescription,
    SeriesDescription: series.description,
    ManufacturerModelName: "SYNTHETIC PHANTOM GENERATOR",
    PatientName: "CASEBOOK^SYNTHETIC",
    PatientID: "",
    PatientBirthDate: "",
    PatientSex: "",
    PatientIdentityRemoved: "YES",
    BodyPartExamined: def.bodyPart,
    SliceThickness: ds(g.sliceThickness),
    SoftwareVersions: "casebook-generator 1",
    PatientPosition: def.patientPosition,
    StudyInstanceUID: uids.study,
    SeriesInstanceUID: seriesUid,
    StudyID: "1",
    SeriesNumber: seriesNumber,
    AcquisitionNumber: 1,
    InstanceNumber: index + 1,
    ImagePositionPatient: pos,
    ImageOrientationPatient: orientationOf(g),
    FrameOfReferenceUID: uids.frame,
    PositionReferenceIndicator: "",
    SliceLocation: ds(pos[fixed] ?? 0),
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: g.rows,
    Columns: g.cols,
    PixelSpacing: [ds(g.spacing, 6), ds(g.spacing, 6)],
    BitsAllocated: 16,
    BitsStored: isCt ? 16 : 12,
    HighBit: isCt ? 15 : 11,
    PixelRepresentation: isCt ? 1 : 0,
    BurnedInAnnotation: "NO",
    LossyImageCompression: "00",
    WindowCenter: ds(window.center, 1),
    WindowWidth: ds(window.width, 1),
    PixelData: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)],
    _vrMap: { PixelData: "OW" },
  };
  if (post) {
    ds0.ContrastBolusAgent = isCt ? "IODINATED CONTRAST" : "GADOLINIUM";
    ds0.ContrastBolusRoute = "IV";
    ds0.ContrastBolusVolume = isCt ? 90 : 15;
  }
  if (isCt) {
    Object.assign(ds0, {
      RescaleIntercept: 0,
      RescaleSlope: 1,
      RescaleType: "HU",
      KVP: 120,
      DataCollectionDiameter: 500,
      ReconstructionDiameter: ds(g.spacing * g.cols, 2),
      GantryDetectorTilt: 0,
      TableHeight: 160,
      RotationDirection: "CW",
      ExposureTime: 500,
      XRayTubeCurrent: 200,
      Exposure: 100,
      FilterType: "BODY",
      GeneratorPower: 24,
      FocalSpots: 1.2,
      ConvolutionKernel: "STANDARD",
      WindowCenterWidthExplanation: "SOFT TISSUE",
    });
  } else {
    const mr = series.mr;
    if (!mr) throw new Error(`MR series ${series.description} has no acquisition parameters`);
    Object.assign(ds0, {
      ScanningSequence: mr.scanningSequence,
      SequenceVariant: mr.sequenceVariant,
      ScanOptions: mr.scanOptions,
      MRAcquisitionType: "2D",
      SequenceName: mr.ti ? "tir2d" : "tse2d",
      AngioFlag: "N",
      RepetitionTime: mr.tr,
      EchoTime: mr.te,
      ...(mr.ti ? { InversionTime: mr.ti } : {}),
      NumberOfAverages: 2,
      ImagingFrequency: 63.87,
      ImagedNucleus: "1H",
      EchoNumbers: 1,
      MagneticFieldStrength: 1.5,
      SpacingBetweenSlices: ds(Math.abs((g.slices[1] ?? g.slices[0] ?? 0) - (g.slices[0] ?? 0)) || g.sliceThickness),
      EchoTrainLength: mr.etl,
      PercentSampling: 100,
      PercentPhaseFieldOfView: 100,
      PixelBandwidth: 200,
      ReceiveCoilName: "SPINE",
      TransmitCoilName: "BODY",
      AcquisitionMatrix: [0, g.cols, g.rows, 0],
      InPlanePhaseEncodingDirection: "ROW",
      FlipAngle: mr.flip,
      SAR: 1.2,
      dBdt: 0,
      WindowCenterWidthExplanation: "DEFAULT",
    });
  }
  return ds0;
}

/** Serialises a dataset to Part 10 bytes. */
export function writePart10(dataset: NaturalDataset): Uint8Array {
  const meta: NaturalDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_UID,
    ImplementationVersionName: "CASEBOOK_GEN_1",
    _vrMap: { FileMetaInformationVersion: "OB" },
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
