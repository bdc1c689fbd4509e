/**
 * De-identification profile as data: what Casebook keeps, and the standard it answers to.
 *
 * Two tables:
 * - {@link PS315_BASIC_PROFILE}: the attributes DICOM PS3.15 Annex E Table E.1-1 (2024b) names
 *   for the Basic Application Level Confidentiality Profile, with the standard's action code.
 *   The de-identifier does not read it to decide anything; it is the yardstick the tests measure
 *   the allow-list against (every listed attribute the allow-list keeps must be replaced,
 *   emptied, remapped or shifted, or be a documented policy exception).
 * - {@link ALLOW_LIST}: the only attributes that survive, each with what happens to it. Anything
 *   not listed (including every private attribute, overlay, curve and group length) is removed,
 *   at every nesting level. This is the Radiopaedia-style allow-list: new or vendor-specific
 *   attributes are dropped by default instead of leaking until someone adds them to a block list.
 *
 * Tags are written "GGGGEEEE" in upper-case hex, as dcmjs keys its dict. Keywords come from the
 * standard data dictionary; the unit tests check them against dcmjs's copy of it.
 */

/** PS3.15 Table E.1-1 action codes for the Basic Profile column. */
export type Ps315Action = "D" | "Z" | "X" | "U" | "Z/D" | "X/Z" | "X/D" | "X/Z/D" | "X/Z/U*";

/** One row of PS3.15 Table E.1-1: a tag pattern ("x" matches any hex digit) and its action. */
export interface Ps315Entry {
  tag: string;
  action: Ps315Action;
}

// Grouped by action, in the standard's "(GGGG,EEEE)" spelling so they can be checked against the
// published table by eye. "xx" in a group stands for the repeating groups (50xx curves, 60xx overlays).
const PS315_BY_ACTION: Record<Ps315Action, string> = {
  D: `
    0018,11BB 006A,0005 006A,0003 0044,0104 0400,0562 300C,0127 0400,0115 0012,0081 0012,0020 0012,0010
    0012,0040 0012,0042 0040,0512 0040,A730 0008,0107 0008,0106 0040,A121 0040,A120 0018,9701 2100,0140
    3010,002D 0400,0105 0068,6226 0042,0011 3010,0035 3010,0038 0018,9804 0034,0002 0034,0001 0018,9074
    0034,0007 0018,9151 0018,9623 0070,0001 0072,000A 003A,0314 0068,6270 300A,0741 300A,0742 300A,0783
    0400,0563 300A,0760 0040,1101 0040,A123 300A,0002 3010,0054 300A,062A 300A,0619 300A,0623 300A,067C
    0400,0565 300A,073A 0040,A13A 3008,0162 3008,0164 3008,0166 3008,0168 0072,005E 0072,005F 0072,0061
    0072,0063 0072,0066 0072,0068 0072,0065 0072,006A 0072,006C 0072,006E 0072,006B 0072,006D 0072,0071
    0072,0070 0018,936A 0034,0005 0018,9369 300A,022C 300A,022E 0040,0551 3006,0002 0040,A122 3008,0024
    3008,0025 300A,0608 300A,0736 300A,0734 3010,0033 3010,0034 0040,A030 0040,A075 0040,A073 0040,A027
    0018,9371 0018,9367`,
  Z: `
    0008,0050 0018,1203 0012,0060 0012,0021 0012,0030 0012,0031 0012,0050 3010,000F 3010,0017 0008,009C
    3010,001B 0040,2017 3010,007F 0040,0513 0040,0562 3010,0043 0040,A082 0010,0030 0010,0010 0010,0040
    0040,2016 3010,007B 3010,0081 3006,00A6 3006,0026 300A,0615 300A,0611 3010,005A 300A,067D 3010,005C
    0008,0090 300E,0004 300E,0005 0400,0564 0040,0610 3006,0008 3006,0009 0008,0020 0020,0010 0008,0030
    3010,007A 0040,A088`,
  X: `
    0018,4000 0018,9424 0040,4035 0010,21B0 0040,A353 0038,0010 0038,0020 0008,1084 0008,1080 0038,0021
    0000,1000 0010,2110 006A,0006 0044,0004 4000,0010 0044,0105 0040,A078 300A,00C3 300A,00DD 0010,1081
    0014,407E 0014,407C 0016,004D 0018,1007 0400,0310 0012,0082 0012,0072 0012,0071 0012,0051 0040,0310
    0040,0280 300A,02EB 0040,3001 0008,009D 0050,001B 0040,051A 0070,0086 0018,1042 0018,1043 0018,A002
    0018,A003 0010,2150 2100,0040 2100,0050 0040,A307 0038,0300 50xx,xxxx 0008,0025 0008,0035 0040,A07C
    FFFC,FFFC 0040,A110 0018,1205 0018,1200 0018,1204 0018,1012 0018,1202 0018,937F 0008,2111 0050,0020
    0016,004B FFFA,FFFA 0038,0030 0038,0040 0038,0032 300A,079A 4008,011A 4008,0119 300A,0016 3010,0037
    3010,0036 300A,0676 0012,0087 0012,0086 0010,2160 0040,4011 003A,032B 0040,A023 0040,A024 300A,0196
    300A,0072 0020,9158 0016,0076 0016,0075 0016,008C 0016,007B 0016,008D 0016,0088 0016,008A 0016,0089
    0016,0086 0016,0085 0016,0087 0016,0084 0016,0083 0016,008E 0016,0081 0016,0080 0016,0072 0016,0071
    0016,0074 0016,0073 0016,0082 0016,007A 0016,008B 0016,0078 0016,007D 0016,007C 0016,0079 0016,0077
    0016,007F 0016,007E 0016,0070 0018,1008 0018,1005 0040,E004 0040,4037 0040,4036 0088,0200 0008,4000
    0020,4000 0028,4000 0040,2400 4008,0300 0008,0015 0400,0600 0008,0081 0008,1040 0008,1041 0010,1050
    3010,0085 0040,1011 4008,0112 4008,0113 4008,0111 4008,010C 4008,0115 4008,0200 4008,0202 4008,0100
    4008,0101 4008,0102 4008,010B 4008,010A 4008,0108 4008,0109 0018,0035 0018,0027 0040,2004 0040,2005
    0038,0011 0038,0014 0012,0022 0012,0073 0012,0032 0012,0041 0012,0043 0012,0055 0010,0021 0038,0061
    0038,0064 0010,21D0 0016,004F 0016,0050 0016,0051 0016,004E 0050,0021 0400,0404 0016,002B 0010,2000
    0010,1090 0010,1080 0400,0550 0020,3403 0020,3406 0020,3405 0020,3401 0018,937B 0008,1060 0040,1010
    0008,1000 0400,0552 0400,0551 0040,A192 0040,A033 0040,A193 0010,2180 0040,2010 0040,2011 0040,2008
    0040,2009 0400,0561 2100,0070 0012,0023 0010,1000 0010,1002 0010,1001 60xx,4000 60xx,3000 0008,0024
    0008,0034 0040,A07A 0010,4000 300A,0794 0038,0500 0040,1004 300A,0792 300A,078E 0010,1040 0010,1010
    0010,1005 0010,0032 0038,0400 0010,0050 0010,1060 0010,0101 0010,0102 0010,21F0 0010,1020 0010,2155
    0010,2154 0010,1030 0040,0243 0040,0254 0040,0250 0040,4051 0040,0251 0040,0253 0040,0244 0040,4050
    0040,0245 0040,0241 0040,4030 0040,0242 0040,4028 0008,1052 0008,1050 0040,1102 0040,1104 0040,1103
    4008,0114 0008,1062 0008,1048 0008,1049 0018,1004 3002,0123 3002,0121 0040,0012 0010,21C0 300A,000E
    0070,0082 0070,0083 3010,0061 0040,4052 0044,000B 0008,1088 0020,0027 3006,004D 3006,002D 3006,0028
    3006,0038 3006,004E 3006,002E 3006,0088 3006,0085 300A,0004 300A,0003 0018,1078 0018,1072 0018,1079
    0018,1073 300C,0113 0040,100A 0032,1030 0032,1066 0032,1067 0040,2001 0040,1002 0074,1234 0400,0402
    0038,0004 0010,1100 0008,1120 0400,0403 0008,0096 0008,0092 0008,0094 0010,2152 0040,0275 0032,1070
    0040,1400 0040,1001 0040,1005 0018,9937 0074,1236 0032,1032 0032,1033 0018,9185 0010,2299 0010,2297
    4008,4000 4008,0118 4008,0040 4008,0042 0008,0054 0100,0420 0038,001A 0038,001B 0038,001C 0038,001D
    0040,4034 0038,001E 0040,000B 0040,0006 0040,0007 0040,0004 0040,0005 0040,4008 0040,0009 0040,0011
    0040,4010 0040,0002 0040,4005 0040,0003 0040,0001 0040,4027 0040,0010 0040,4025 0032,1020 0032,1021
    0032,1000 0032,1001 0032,1010 0032,1011 0008,103E 0038,0062 0038,0060 300A,01B2 300A,01A6 0040,06FA
    0010,21A0 300A,0216 0038,0050 0040,050A 0040,0602 0040,0600 0008,0055 3006,0006 3006,0004 0032,1040
    0032,1041 0032,4000 0032,1050 0032,1051 0008,1030 0032,0012 0032,0034 0032,0035 0032,0032 0032,0033
    0044,0010 0040,A354 0040,DB07 0040,DB06 4000,4000 2030,0020 0040,A112 0018,1201 0018,1014 0008,0201
    0088,0910 0088,0912 0088,0906 0088,0904 0018,5011 300A,000B 0018,100A 0018,1009 0040,A352 0040,A358
    0038,4000 0018,9373 003A,0329`,
  U: `
    0008,0017 0020,9161 3010,0006 3010,0013 0018,1002 0400,0100 0020,9164 300A,0013 3010,006E 0008,0058
    0070,031A 0020,0052 0008,0014 0008,3010 0028,1214 0018,100B 0002,0003 003A,0310 0040,A402 0040,A171
    0028,1199 300A,0650 0070,1101 0070,1102 0008,0019 3010,003B 3010,000B 300A,0083 3010,006F 3010,0031
    3006,0024 0040,4023 0040,A172 0008,1155 0004,1511 300A,0785 3006,00C2 0000,1001 0008,0018 0020,000E
    3010,0015 0064,0003 0040,0554 0088,0140 0020,000D 0020,0200 0018,2042 0040,DB0D 0040,DB0C 0062,0021
    0008,1195 300A,0609 300A,0700 0040,A124`,
  "Z/D": `0070,0084 0008,0023 0008,0033 0018,0010 0018,9919 0010,0020`,
  "X/Z": `0040,0555 0008,0022 0008,0032 2200,0005 2200,0002 0010,2203 0008,1110 0032,1060 300E,0008 3008,0105 300A,00B2`,
  "X/D": `
    0018,1400 0018,700C 0018,700A 0018,9517 3008,0054 0008,0012 3010,004D 3010,004C 3008,0056 0040,A032
    0008,1072 0018,1030 300A,0006 300A,0007 3010,0056 0008,0021 0008,0031 0018,9516 0018,700E 3008,0250
    3010,0077 3008,0251`,
  "X/Z/D": `0008,002A 0018,1000 0008,0013 0008,0082 0008,0080 0008,1070 0008,1111 0008,1010`,
  "X/Z/U*": `0008,1140 0008,2112`,
};

/**
 * DICOM PS3.15 (2024b) Table E.1-1, Basic Profile column: every attribute the standard names,
 * plus "private attributes: X" which the de-identifier applies to every odd group.
 */
export const PS315_BASIC_PROFILE: readonly Ps315Entry[] = Object.entries(PS315_BY_ACTION).flatMap(([action, list]) =>
  list
    .trim()
    .split(/\s+/u)
    .map((spelled) => ({ tag: spelled.replace(",", "").toUpperCase().replace(/X/gu, "x"), action: action as Ps315Action })),
);

/** Does a "GGGGEEEE" tag match a PS3.15 pattern (where "x" is any hex digit)? */
export function matchesTagPattern(tag: string, pattern: string): boolean {
  if (tag.length !== 8 || pattern.length !== 8) return false;
  for (let i = 0; i < 8; i += 1) {
    const p = pattern[i];
    if (p !== "x" && p !== tag[i]) return false;
  }
  return true;
}

/** The PS3.15 Basic Profile action for a tag, or undefined when the table does not name it. */
export function ps315ActionFor(tag: string): Ps315Action | undefined {
  return PS315_BASIC_PROFILE.find((entry) => matchesTagPattern(tag.toUpperCase(), entry.tag))?.action;
}

/**
 * What the de-identifier does with an allowed attribute:
 * - keep: copy as is, after checking the value fits its VR (a CS or DS cannot carry free text)
 * - uid: replace every value with its consistent remapped UID
 * - date / datetime: shift by the per-patient offset (or remove, when dates are removed)
 * - time: keep when it is a valid TM (the date it belongs to is shifted)
 * - empty: keep the attribute (type 2 in an IOD) with an empty value
 * - patient-name / patient-id: replace with the synthetic label / the keyed-hash pseudonym
 * - sex: keep only M, F or O
 * - description: free text that may give the diagnosis away; removed and handed to the educator
 *   for review, or kept when the caller says the educator already chose to keep it
 * - sequence: keep the sequence and apply this same allow-list inside every item
 * - pixel: pass through by reference, never copied or transformed
 * - set: written by the de-identifier itself (identity-removed flags); the source value is dropped
 */
export type AllowAction =
  | "keep"
  | "uid"
  | "date"
  | "datetime"
  | "time"
  | "empty"
  | "patient-name"
  | "patient-id"
  | "sex"
  | "description"
  | "sequence"
  | "pixel"
  | "set";

/** One allowed attribute. */
export interface AllowEntry {
  tag: string;
  keyword: string;
  action: AllowAction;
  /**
   * Why an attribute that PS3.15's Basic Profile would remove or blank keeps its value here.
   * Only allowed on "keep", "time", "sex" entries; the unit tests fail on any unexplained one.
   */
  exception?: string;
}

const TEMPORAL = "Retain Longitudinal Temporal Information (Modified Dates): the date is shifted, the time of day kept";

// [tag, keyword, action, exception?] — grouped by the module that needs them.
const ALLOW_ROWS: ReadonlyArray<readonly [string, string, AllowAction, string?]> = [
  // SOP Common, General Study, General Series, General Equipment, General Acquisition, General Image
  ["00080005", "SpecificCharacterSet", "set"],
  ["00080008", "ImageType", "keep"],
  ["00080016", "SOPClassUID", "keep"],
  ["00080018", "SOPInstanceUID", "uid"],
  ["00080020", "StudyDate", "date"],
  ["00080021", "SeriesDate", "date"],
  ["00080022", "AcquisitionDate", "date"],
  ["00080023", "ContentDate", "date"],
  ["0008002A", "AcquisitionDateTime", "datetime"],
  ["00080030", "StudyTime", "time", TEMPORAL],
  ["00080031", "SeriesTime", "time", TEMPORAL],
  ["00080032", "AcquisitionTime", "time", TEMPORAL],
  ["00080033", "ContentTime", "time", TEMPORAL],
  ["00080050", "AccessionNumber", "empty"],
  ["00080060", "Modality", "keep"],
  ["00080064", "ConversionType", "keep"],
  ["00080068", "PresentationIntentType", "keep"],
  ["00080070", "Manufacturer", "keep"],
  ["00080090", "ReferringPhysicianName", "empty"],
  ["00080100", "CodeValue", "keep"],
  ["00080102", "CodingSchemeDesignator", "keep"],
  ["00080103", "CodingSchemeVersion", "keep"],
  ["00080104", "CodeMeaning", "keep"],
  ["00080119", "LongCodeValue", "keep"],
  ["00080120", "URNCodeValue", "keep"],
  ["00081030", "StudyDescription", "description"],
  ["0008103E", "SeriesDescription", "description"],
  ["00081090", "ManufacturerModelName", "keep"],
  ["00081140", "ReferencedImageSequence", "sequence"],
  ["00081150", "ReferencedSOPClassUID", "keep"],
  ["00081155", "ReferencedSOPInstanceUID", "uid"],
  ["00081160", "ReferencedFrameNumber", "keep"],
  ["00082144", "RecommendedDisplayFrameRate", "keep"],
  ["00082218", "AnatomicRegionSequence", "sequence"],
  ["00082220", "AnatomicRegionModifierSequence", "sequence"],
  ["00082228", "PrimaryAnatomicStructureSequence", "sequence"],
  ["00083010", "IrradiationEventUID", "uid"],
  ["00089007", "FrameType", "keep"],
  ["00089205", "PixelPresentation", "keep"],
  ["00089206", "VolumetricProperties", "keep"],
  ["00089207", "VolumeBasedCalculationTechnique", "keep"],
  ["00089208", "ComplexImageComponent", "keep"],
  ["00089209", "AcquisitionContrast", "keep"],
  ["00089215", "DerivationCodeSequence", "sequence"],
  // Patient (identity replaced, sex kept, the de-identification record written)
  ["00100010", "PatientName", "patient-name"],
  ["00100020", "PatientID", "patient-id"],
  ["00100030", "PatientBirthDate", "empty"],
  ["00100040", "PatientSex", "sex", "Retain Patient Characteristics Option (113108): sex is teaching-relevant"],
  ["00102210", "AnatomicalOrientationType", "keep"],
  ["00120062", "PatientIdentityRemoved", "set"],
  ["00120063", "DeidentificationMethod", "set"],
  ["00120064", "DeidentificationMethodCodeSequence", "set"],
  // Contrast/Bolus
  [
    "00180010",
    "ContrastBolusAgent",
    "keep",
    "Casebook policy: the agent is teaching content (PS3.15 would allow it under Clean Descriptors)",
  ],
  ["00180012", "ContrastBolusAgentSequence", "sequence"],
  ["00180014", "ContrastBolusAdministrationRouteSequence", "sequence"],
  ["00181040", "ContrastBolusRoute", "keep"],
  ["00181041", "ContrastBolusVolume", "keep"],
  ["00181044", "ContrastBolusTotalDose", "keep"],
  ["00181046", "ContrastFlowRate", "keep"],
  ["00181047", "ContrastFlowDuration", "keep"],
  ["00181048", "ContrastBolusIngredient", "keep"],
  ["00181049", "ContrastBolusIngredientConcentration", "keep"],
  // Acquisition parameters (CT, MR, X-ray, US) worth showing when teaching
  ["00180015", "BodyPartExamined", "keep"],
  ["00180020", "ScanningSequence", "keep"],
  ["00180021", "SequenceVariant", "keep"],
  ["00180022", "ScanOptions", "keep"],
  ["00180023", "MRAcquisitionType", "keep"],
  ["00180024", "SequenceName", "keep"],
  ["00180025", "AngioFlag", "keep"],
  ["00180040", "CineRate", "keep"],
  ["00180050", "SliceThickness", "keep"],
  ["00180060", "KVP", "keep"],
  ["00180080", "RepetitionTime", "keep"],
  ["00180081", "EchoTime", "keep"],
  ["00180082", "InversionTime", "keep"],
  ["00180083", "NumberOfAverages", "keep"],
  ["00180084", "ImagingFrequency", "keep"],
  ["00180085", "ImagedNucleus", "keep"],
  ["00180086", "EchoNumbers", "keep"],
  ["00180087", "MagneticFieldStrength", "keep"],
  ["00180088", "SpacingBetweenSlices", "keep"],
  ["00180089", "NumberOfPhaseEncodingSteps", "keep"],
  ["00180090", "DataCollectionDiameter", "keep"],
  ["00180091", "EchoTrainLength", "keep"],
  ["00180093", "PercentSampling", "keep"],
  ["00180094", "PercentPhaseFieldOfView", "keep"],
  ["00180095", "PixelBandwidth", "keep"],
  ["00181016", "SecondaryCaptureDeviceManufacturer", "keep"],
  ["00181018", "SecondaryCaptureDeviceManufacturerModelName", "keep"],
  ["00181030", "ProtocolName", "description"],
  ["00181060", "TriggerTime", "keep"],
  ["00181062", "NominalInterval", "keep"],
  ["00181063", "FrameTime", "keep"],
  ["00181065", "FrameTimeVector", "keep"],
  ["00181088", "HeartRate", "keep"],
  ["00181100", "ReconstructionDiameter", "keep"],
  ["00181110", "DistanceSourceToDetector", "keep"],
  ["00181111", "DistanceSourceToPatient", "keep"],
  ["00181114", "EstimatedRadiographicMagnificationFactor", "keep"],
  ["00181120", "GantryDetectorTilt", "keep"],
  ["00181130", "TableHeight", "keep"],
  ["00181140", "RotationDirection", "keep"],
  ["00181150", "ExposureTime", "keep"],
  ["00181151", "XRayTubeCurrent", "keep"],
  ["00181152", "Exposure", "keep"],
  ["00181153", "ExposureInuAs", "keep"],
  ["00181160", "FilterType", "keep"],
  ["00181164", "ImagerPixelSpacing", "keep"],
  ["00181170", "GeneratorPower", "keep"],
  ["00181190", "FocalSpots", "keep"],
  ["00181210", "ConvolutionKernel", "keep"],
  ["00181242", "ActualFrameDuration", "keep"],
  ["00181244", "PreferredPlaybackSequencing", "keep"],
  ["00181250", "ReceiveCoilName", "keep"],
  ["00181251", "TransmitCoilName", "keep"],
  ["00181310", "AcquisitionMatrix", "keep"],
  ["00181312", "InPlanePhaseEncodingDirection", "keep"],
  ["00181314", "FlipAngle", "keep"],
  ["00181316", "SAR", "keep"],
  ["00181318", "dBdt", "keep"],
  ["00181510", "PositionerPrimaryAngle", "keep"],
  ["00181511", "PositionerSecondaryAngle", "keep"],
  ["00185100", "PatientPosition", "keep"],
  ["00185101", "ViewPosition", "keep"],
  ["00186011", "SequenceOfUltrasoundRegions", "sequence"],
  ["00186012", "RegionSpatialFormat", "keep"],
  ["00186014", "RegionDataType", "keep"],
  ["00186016", "RegionFlags", "keep"],
  ["00186018", "RegionLocationMinX0", "keep"],
  ["0018601A", "RegionLocationMinY0", "keep"],
  ["0018601C", "RegionLocationMaxX1", "keep"],
  ["0018601E", "RegionLocationMaxY1", "keep"],
  ["00186020", "ReferencePixelX0", "keep"],
  ["00186022", "ReferencePixelY0", "keep"],
  ["00186024", "PhysicalUnitsXDirection", "keep"],
  ["00186026", "PhysicalUnitsYDirection", "keep"],
  ["00186028", "ReferencePixelPhysicalValueX", "keep"],
  ["0018602A", "ReferencePixelPhysicalValueY", "keep"],
  ["0018602C", "PhysicalDeltaX", "keep"],
  ["0018602E", "PhysicalDeltaY", "keep"],
  ["00186030", "TransducerFrequency", "keep"],
  ["00189005", "PulseSequenceName", "keep"],
  ["00189073", "AcquisitionDuration", "keep"],
  ["00189074", "FrameAcquisitionDateTime", "datetime"],
  ["00189075", "DiffusionDirectionality", "keep"],
  ["00189076", "DiffusionGradientDirectionSequence", "sequence"],
  ["00189082", "EffectiveEchoTime", "keep"],
  ["00189087", "DiffusionBValue", "keep"],
  ["00189089", "DiffusionGradientOrientation", "keep"],
  ["00189112", "MRTimingAndRelatedParametersSequence", "sequence"],
  ["00189114", "MREchoSequence", "sequence"],
  ["00189117", "MRDiffusionSequence", "sequence"],
  ["00189151", "FrameReferenceDateTime", "datetime"],
  ["00189220", "FrameAcquisitionDuration", "keep"],
  ["00189226", "MRImageFrameTypeSequence", "sequence"],
  ["00189306", "SingleCollimationWidth", "keep"],
  ["00189307", "TotalCollimationWidth", "keep"],
  ["00189309", "TableSpeed", "keep"],
  ["00189310", "TableFeedPerRotation", "keep"],
  ["00189311", "SpiralPitchFactor", "keep"],
  ["00189329", "CTImageFrameTypeSequence", "sequence"],
  ["00189345", "CTDIvol", "keep"],
  // Relationship, image plane, multi-frame dimensions
  ["0020000D", "StudyInstanceUID", "uid"],
  ["0020000E", "SeriesInstanceUID", "uid"],
  ["00200010", "StudyID", "empty"],
  ["00200011", "SeriesNumber", "keep"],
  ["00200012", "AcquisitionNumber", "keep"],
  ["00200013", "InstanceNumber", "keep"],
  ["00200020", "PatientOrientation", "keep"],
  ["00200032", "ImagePositionPatient", "keep"],
  ["00200037", "ImageOrientationPatient", "keep"],
  ["00200052", "FrameOfReferenceUID", "uid"],
  ["00200060", "Laterality", "keep"],
  ["00200062", "ImageLaterality", "keep"],
  ["00200100", "TemporalPositionIdentifier", "keep"],
  ["00200105", "NumberOfTemporalPositions", "keep"],
  ["00200110", "TemporalResolution", "keep"],
  ["00200200", "SynchronizationFrameOfReferenceUID", "uid"],
  ["00201002", "ImagesInAcquisition", "keep"],
  ["00201040", "PositionReferenceIndicator", "empty"],
  ["00201041", "SliceLocation", "keep"],
  ["00204000", "ImageComments", "description"],
  ["00209056", "StackID", "keep"],
  ["00209057", "InStackPositionNumber", "keep"],
  ["00209111", "FrameContentSequence", "sequence"],
  ["00209113", "PlanePositionSequence", "sequence"],
  ["00209116", "PlaneOrientationSequence", "sequence"],
  ["00209128", "TemporalPositionIndex", "keep"],
  ["00209156", "FrameAcquisitionNumber", "keep"],
  ["00209157", "DimensionIndexValues", "keep"],
  ["00209161", "ConcatenationUID", "uid"],
  ["00209162", "InConcatenationNumber", "keep"],
  ["00209163", "InConcatenationTotalNumber", "keep"],
  ["00209164", "DimensionOrganizationUID", "uid"],
  ["00209165", "DimensionIndexPointer", "keep"],
  ["00209167", "FunctionalGroupPointer", "keep"],
  ["00209221", "DimensionOrganizationSequence", "sequence"],
  ["00209222", "DimensionIndexSequence", "sequence"],
  ["00209228", "ConcatenationFrameOffsetNumber", "keep"],
  ["00209421", "DimensionDescriptionLabel", "keep"],
  // Image Pixel, presentation, LUTs
  ["00280002", "SamplesPerPixel", "keep"],
  ["00280004", "PhotometricInterpretation", "keep"],
  ["00280006", "PlanarConfiguration", "keep"],
  ["00280008", "NumberOfFrames", "keep"],
  ["00280009", "FrameIncrementPointer", "keep"],
  ["00280010", "Rows", "keep"],
  ["00280011", "Columns", "keep"],
  ["00280014", "UltrasoundColorDataPresent", "keep"],
  ["00280030", "PixelSpacing", "keep"],
  ["00280034", "PixelAspectRatio", "keep"],
  ["00280100", "BitsAllocated", "keep"],
  ["00280101", "BitsStored", "keep"],
  ["00280102", "HighBit", "keep"],
  ["00280103", "PixelRepresentation", "keep"],
  ["00280106", "SmallestImagePixelValue", "keep"],
  ["00280107", "LargestImagePixelValue", "keep"],
  ["00280108", "SmallestPixelValueInSeries", "keep"],
  ["00280109", "LargestPixelValueInSeries", "keep"],
  ["00280120", "PixelPaddingValue", "keep"],
  ["00280121", "PixelPaddingRangeLimit", "keep"],
  ["00280300", "QualityControlImage", "keep"],
  ["00280301", "BurnedInAnnotation", "keep"],
  ["00280302", "RecognizableVisualFeatures", "keep"],
  ["00280303", "LongitudinalTemporalInformationModified", "set"],
  ["00281040", "PixelIntensityRelationship", "keep"],
  ["00281041", "PixelIntensityRelationshipSign", "keep"],
  ["00281050", "WindowCenter", "keep"],
  ["00281051", "WindowWidth", "keep"],
  ["00281052", "RescaleIntercept", "keep"],
  ["00281053", "RescaleSlope", "keep"],
  ["00281054", "RescaleType", "keep"],
  ["00281055", "WindowCenterWidthExplanation", "keep"],
  ["00281056", "VOILUTFunction", "keep"],
  ["00281090", "RecommendedViewingMode", "keep"],
  ["00281101", "RedPaletteColorLookupTableDescriptor", "keep"],
  ["00281102", "GreenPaletteColorLookupTableDescriptor", "keep"],
  ["00281103", "BluePaletteColorLookupTableDescriptor", "keep"],
  ["00281199", "PaletteColorLookupTableUID", "uid"],
  ["00281201", "RedPaletteColorLookupTableData", "keep"],
  ["00281202", "GreenPaletteColorLookupTableData", "keep"],
  ["00281203", "BluePaletteColorLookupTableData", "keep"],
  ["00282000", "ICCProfile", "keep"],
  ["00282002", "ColorSpace", "keep"],
  ["00282110", "LossyImageCompression", "keep"],
  ["00282112", "LossyImageCompressionRatio", "keep"],
  ["00282114", "LossyImageCompressionMethod", "keep"],
  ["00283000", "ModalityLUTSequence", "sequence"],
  ["00283002", "LUTDescriptor", "keep"],
  ["00283003", "LUTExplanation", "keep"],
  ["00283004", "ModalityLUTType", "keep"],
  ["00283006", "LUTData", "keep"],
  ["00283010", "VOILUTSequence", "sequence"],
  ["00289110", "PixelMeasuresSequence", "sequence"],
  ["00289132", "FrameVOILUTSequence", "sequence"],
  ["00289145", "PixelValueTransformationSequence", "sequence"],
  ["00400254", "PerformedProcedureStepDescription", "description"],
  ["20500020", "PresentationLUTShape", "keep"],
  ["00540220", "ViewCodeSequence", "sequence"],
  ["00540222", "ViewModifierCodeSequence", "sequence"],
  ["52009229", "SharedFunctionalGroupsSequence", "sequence"],
  ["52009230", "PerFrameFunctionalGroupsSequence", "sequence"],
  ["7FE00008", "FloatPixelData", "pixel"],
  ["7FE00009", "DoubleFloatPixelData", "pixel"],
  ["7FE00010", "PixelData", "pixel"],
];

/** The allow-list, keyed by tag. */
export const ALLOW_LIST: ReadonlyMap<string, AllowEntry> = new Map(
  ALLOW_ROWS.map(([tag, keyword, action, exception]) => [tag, { tag, keyword, action, ...(exception ? { exception } : {}) }]),
);

/**
 * Free-text attributes that can name the diagnosis ("glioblastoma follow-up"). They are collected
 * for the educator to rewrite rather than silently kept or lost.
 */
export const DESCRIPTION_TAGS: readonly string[] = ALLOW_ROWS.filter((row) => row[2] === "description").map((row) => row[0]);

/**
 * Type 2 attributes of the Patient, General Study and General Series modules that every CT/MR/SC
 * IOD requires to be present (possibly empty). The de-identifier adds them empty when the source
 * lacks them, so blanking identifiers never makes a valid file invalid.
 */
export const REQUIRED_TYPE2: ReadonlyArray<readonly [tag: string, vr: string]> = [
  ["00080020", "DA"], // StudyDate
  ["00080030", "TM"], // StudyTime
  ["00080050", "SH"], // AccessionNumber
  ["00080090", "PN"], // ReferringPhysicianName
  ["00100030", "DA"], // PatientBirthDate
  ["00100040", "CS"], // PatientSex
  ["00200010", "SH"], // StudyID
  ["00200011", "IS"], // SeriesNumber
  ["00200013", "IS"], // InstanceNumber
];

/** Modalities whose images habitually carry burned-in text (ultrasound, screenshots, captures). */
export const BURNED_IN_MODALITIES: ReadonlyMap<string, string> = new Map([
  ["US", "ultrasound images usually carry burned-in patient and institution text"],
  ["SC", "secondary captures are often screenshots with burned-in text"],
  ["OT", "'other' images are often screenshots or scanned documents"],
  ["XC", "external-camera photographs may show faces or wristbands"],
  ["DOC", "scanned documents are text"],
]);

/**
 * SOP classes whose images habitually carry burned-in text. A UID matches a root when it equals
 * it or extends it ("1.2.840.10008.5.1.4.1.1.7" covers the multi-frame secondary captures 7.1-7.4).
 */
export const BURNED_IN_SOP_CLASSES: ReadonlyArray<readonly [uidRoot: string, label: string]> = [
  ["1.2.840.10008.5.1.4.1.1.7", "Secondary Capture"],
  ["1.2.840.10008.5.1.4.1.1.6", "Ultrasound"],
  ["1.2.840.10008.5.1.4.1.1.3", "Ultrasound Multi-frame (retired)"],
  ["1.2.840.10008.5.1.4.1.1.77.1", "Visible Light (photograph, endoscopy, microscopy)"],
  ["1.2.840.10008.5.1.4.1.1.104", "Encapsulated Document"],
];

/** PS3.16 CID 7050 "De-identification Method" codes (coding scheme DCM) the report may claim. */
export const DEID_METHOD_CODES = {
  basicProfile: { value: "113100", meaning: "Basic Application Confidentiality Profile" },
  retainPatientCharacteristics: { value: "113108", meaning: "Retain Patient Characteristics Option" },
  modifiedDates: { value: "113107", meaning: "Retain Longitudinal Temporal Information Modified Dates Option" },
  fullDates: { value: "113106", meaning: "Retain Longitudinal Temporal Information Full Dates Option" },
} as const;
