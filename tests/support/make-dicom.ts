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
  return writeExplicitLittle(sopClass, o.sopUid, dataset);
}

/** A naturalised data set as Part 10 bytes, Explicit VR Little Endian. */
function writeExplicitLittle(sopClass: string, sopUid: string, dataset: Naturalized): Uint8Array {
  const meta = data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopUid,
    TransferSyntaxUID: "1.2.840.10008.1.2.1",
    ImplementationClassUID: "2.25.1234567890",
    ImplementationVersionName: "CASEBOOK-TEST",
  });
  const dict = new data.DicomDict(meta);
  dict.dict = data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** 5x7 glyphs (rows top to bottom, 5 bits each, high bit left) for the characters the burned-in text uses. */
const GLYPHS: Record<string, number[]> = {
  " ": [0, 0, 0, 0, 0, 0, 0],
  "-": [0, 0, 0, 31, 0, 0, 0],
  ":": [0, 12, 12, 0, 12, 12, 0],
  "^": [4, 10, 17, 0, 0, 0, 0],
  "0": [14, 17, 19, 21, 25, 17, 14],
  "1": [4, 12, 4, 4, 4, 4, 14],
  "2": [14, 17, 1, 2, 4, 8, 31],
  "3": [31, 2, 4, 2, 1, 17, 14],
  "4": [2, 6, 10, 18, 31, 2, 2],
  "5": [31, 16, 30, 1, 1, 17, 14],
  "6": [6, 8, 16, 30, 17, 17, 14],
  "7": [31, 1, 2, 4, 8, 8, 8],
  "8": [14, 17, 17, 14, 17, 17, 14],
  "9": [14, 17, 17, 15, 1, 2, 12],
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  Y: [17, 17, 10, 4, 4, 4, 4],
};

export type PixelBox = { x: number; y: number; width: number; height: number };

/**
 * An ultrasound screen capture (Secondary Capture, Modality US, RGB, BurnedInAnnotation YES) of `width` x `height`:
 * a speckled sector on black with the patient's name, ID and birth date burned into the top-left corner and the
 * institution into the bottom-right, in white at twice the 5x7 font. Returns the bytes and the box of each text line.
 */
export function makeUltrasoundCapture(o: { studyUid: string; seriesUid: string; sopUid: string; width?: number; height?: number }) {
  const width = o.width ?? 320;
  const height = o.height ?? 240;
  const rgb = new Uint8Array(width * height * 3);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - width / 2;
      const dy = y - height * 0.12;
      const r = Math.hypot(dx, dy);
      const inSector = dy > 0 && Math.abs(Math.atan2(dx, dy)) < 0.6 && r > height * 0.1 && r < height * 0.85;
      const lesion = Math.hypot(dx + 12, y - height * 0.55) < height * 0.08;
      const v = inSector ? Math.round((lesion ? 40 : 90 + 60 * Math.sin(r / 9)) * (0.5 + random())) : 0;
      rgb.set([v, v, v], (y * width + x) * 3);
    }
  }
  const boxes: PixelBox[] = [];
  const write = (text: string, x0: number, y0: number) => {
    const scale = 2;
    for (const [i, ch] of [...text].entries()) {
      const glyph = GLYPHS[ch] ?? GLYPHS[" "]!;
      for (let gy = 0; gy < 7; gy++)
        for (let gx = 0; gx < 5; gx++)
          if (glyph[gy]! & (16 >> gx))
            for (let sy = 0; sy < scale; sy++)
              for (let sx = 0; sx < scale; sx++) rgb.set([255, 255, 255], ((y0 + gy * scale + sy) * width + x0 + i * 6 * scale + gx * scale + sx) * 3);
    }
    boxes.push({ x: x0, y: y0, width: text.length * 6 * scale - scale, height: 7 * scale });
  };
  write("DOE^JANE", 4, 4);
  write("MRN 004217", 4, 22);
  write("DOB 1970-03-12", 4, 40);
  write("ST MARY", width - 4 - (7 * 12 - 2), height - 4 - 14);

  const sopClass = "1.2.840.10008.5.1.4.1.1.7";
  const dataset: Naturalized = {
    SOPClassUID: sopClass,
    SOPInstanceUID: o.sopUid,
    StudyInstanceUID: o.studyUid,
    SeriesInstanceUID: o.seriesUid,
    Modality: "US",
    ConversionType: "WSD",
    PatientName: "DOE^JANE",
    PatientID: "004217",
    PatientBirthDate: "19700312",
    PatientSex: "F",
    StudyDate: "20240101",
    StudyTime: "120000",
    AccessionNumber: "",
    ReferringPhysicianName: "",
    StudyID: "1",
    SeriesNumber: 1,
    InstanceNumber: 1,
    Laterality: "",
    PatientOrientation: "",
    BurnedInAnnotation: "YES",
    SamplesPerPixel: 3,
    PhotometricInterpretation: "RGB",
    PlanarConfiguration: 0,
    Rows: height,
    Columns: width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [rgb.buffer],
    _vrMap: { PixelData: "OB" },
  };
  return { bytes: writeExplicitLittle(sopClass, o.sopUid, dataset), boxes, width, height };
}
