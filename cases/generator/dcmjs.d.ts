/**
 * The small part of dcmjs the generator uses. dcmjs ships no types; these are declared as plain
 * exported interfaces (not an ambient `declare module`) so they cannot clash with typings other
 * parts of the app may add for the same package.
 */

/** A naturalized dataset: DICOM keywords to values, plus dcmjs' VR hints. */
export interface NaturalDataset {
  [keyword: string]: unknown;
  _vrMap?: Record<string, string>;
}

export interface DcmjsDicomDict {
  dict: Record<string, unknown>;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

export interface DcmjsModule {
  data: {
    DicomDict: new (meta: Record<string, unknown>) => DcmjsDicomDict;
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
    };
  };
}
