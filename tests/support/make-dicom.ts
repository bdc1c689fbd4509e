import dcmjs from "dcmjs";

type Naturalized = Record<string, unknown>;
type DcmjsNaturalize = {
  DicomMetaDictionary: { denaturalizeDataset(ds: Naturalized): Record<string, unknown> };
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
};
const data = (dcmjs as unknown as { data: DcmjsNaturalize }).data;

export type SliceOptions = {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  frameOfReferenceUid: string;
  seriesDescription: string;
  seriesNumber: number;
  instanceNumber: number;
  z: number;
  size?: number;
  /** Extra attributes (identifiers to prove de-identification removes them, say). */
  extra?: Naturalized;
};

/**
 * A small real CT slice written by dcmjs (Explicit VR Little Endian): a disc of soft tissue (40 HU) with a bright
 * spot whose position depends on z, in air (-1000 HU). Used by integration tests to build bundles.
 */
export function makeCtSlice(o: SliceOptions): Uint8Array {
  const size = o.size ?? 64;
  const pixels = new Int16Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      const spot = Math.hypot(x - size / 2 - (o.z % 10), y - size / 2) < 3;
      pixels[y * size + x] = spot ? 700 : r < size * 0.4 ? 40 : -1000;
    }
  }
  const sopClass = "1.2.840.10008.5.1.4.1.1.2";
  const dataset: Naturalized = {
    _meta: undefined,
    SOPClassUID: sopClass,
    SOPInstanceUID: o.sopUid,
    StudyInstanceUID: o.studyUid,
    SeriesInstanceUID: o.seriesUid,
    FrameOfReferenceUID: o.frameOfReferenceUid,
    Modality: "CT",
    PatientName: "CASEBOOK^SYNTHETIC",
    PatientID: "SYNTH-0001",
    PatientBirthDate: "",
    PatientSex: "F",
    StudyDate: "20240101",
    StudyTime: "120000",
    AccessionNumber: "",
    ReferringPhysicianName: "",
    StudyID: "1",
    StudyDescription: "CT CHEST",
    SeriesDescription: o.seriesDescription,
    SeriesNumber: o.seriesNumber,
    InstanceNumber: o.instanceNumber,
    Manufacturer: "Casebook",
    ImageType: ["ORIGINAL", "PRIMARY", "AXIAL"],
    KVP: 120,
    ImagePositionPatient: [-size / 2, -size / 2, o.z],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    SliceLocation: o.z,
    SliceThickness: 5,
    PixelSpacing: [1, 1],
    PositionReferenceIndicator: "",
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: size,
    Columns: size,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: "HU",
    WindowCenter: 40,
    WindowWidth: 400,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: "OW" },
    PatientPosition: "FFS",
    AcquisitionNumber: 1,
    ...o.extra,
  };
  delete dataset._meta;
  const meta = data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: o.sopUid,
    TransferSyntaxUID: "1.2.840.10008.1.2.1",
    ImplementationClassUID: "2.25.1234567890",
    ImplementationVersionName: "CASEBOOK-TEST",
  });
  const dict = new data.DicomDict(meta);
  dict.dict = data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
