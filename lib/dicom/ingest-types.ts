/** One DICOM file after de-identification and normalisation, with the header fields the database keeps. */
export type IngestedInstance = {
  /** The bytes to store: de-identified, Explicit VR Little Endian, uncompressed. */
  bytes: Uint8Array;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  frameOfReferenceUid: string | null;
  modality: string;
  studyDescription: string;
  seriesDescription: string;
  seriesNumber: number | null;
  instanceNumber: number | null;
  imagePosition: number[] | null;
  imageOrientation: number[] | null;
  sliceLocation: number | null;
  sliceThickness: number | null;
  pixelSpacing: number[] | null;
  rows: number;
  columns: number;
  frames: number;
  transferSyntaxUid: string;
  windowCenter: number | null;
  windowWidth: number | null;
};

/** Turns one file's raw bytes into a storable instance, or throws an Error whose message says why not. */
export type PrepareDicom = (bytes: Uint8Array, source: string) => Promise<IngestedInstance>;
