/**
 * DICOM transfer syntaxes Casebook knows about (PS3.5 Section 10 and Annex A).
 *
 * Casebook normalises every stored file to Explicit VR Little Endian, so this table
 * answers two questions at ingest: "can we decode this?" and "is PixelData encapsulated?".
 */

export type TransferSyntaxCodec =
  | "native"
  | "jpeg-baseline"
  | "jpeg-extended"
  | "jpeg-lossless"
  | "jpeg-ls"
  | "jpeg-2000"
  | "rle";

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  /** PixelData is a sequence of fragments (compressed) rather than one native value. */
  encapsulated: boolean;
  /** Lossy compression: decoded pixels differ from the original acquisition. */
  lossy: boolean;
  littleEndian: boolean;
  explicitVr: boolean;
  /** The data set (not just pixels) is zlib-deflated. */
  deflated: boolean;
  codec: TransferSyntaxCodec;
}

export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
export const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
export const JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
export const JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
export const JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
export const JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
export const JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
export const JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
export const JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
export const JPEG_2000 = "1.2.840.10008.1.2.4.91";
export const RLE_LOSSLESS = "1.2.840.10008.1.2.5";

const base = { littleEndian: true, explicitVr: true, deflated: false };

const table: readonly TransferSyntaxInfo[] = [
  { ...base, uid: IMPLICIT_VR_LITTLE_ENDIAN, name: "Implicit VR Little Endian", encapsulated: false, lossy: false, explicitVr: false, codec: "native" },
  { ...base, uid: EXPLICIT_VR_LITTLE_ENDIAN, name: "Explicit VR Little Endian", encapsulated: false, lossy: false, codec: "native" },
  { ...base, uid: DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, name: "Deflated Explicit VR Little Endian", encapsulated: false, lossy: false, deflated: true, codec: "native" },
  { ...base, uid: EXPLICIT_VR_BIG_ENDIAN, name: "Explicit VR Big Endian (retired)", encapsulated: false, lossy: false, littleEndian: false, codec: "native" },
  { ...base, uid: JPEG_BASELINE, name: "JPEG Baseline (Process 1)", encapsulated: true, lossy: true, codec: "jpeg-baseline" },
  { ...base, uid: JPEG_EXTENDED, name: "JPEG Extended (Process 2 & 4)", encapsulated: true, lossy: true, codec: "jpeg-extended" },
  { ...base, uid: JPEG_LOSSLESS, name: "JPEG Lossless, Non-Hierarchical (Process 14)", encapsulated: true, lossy: false, codec: "jpeg-lossless" },
  { ...base, uid: JPEG_LOSSLESS_SV1, name: "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", encapsulated: true, lossy: false, codec: "jpeg-lossless" },
  { ...base, uid: JPEG_LS_LOSSLESS, name: "JPEG-LS Lossless", encapsulated: true, lossy: false, codec: "jpeg-ls" },
  { ...base, uid: JPEG_LS_NEAR_LOSSLESS, name: "JPEG-LS Lossy (Near-Lossless)", encapsulated: true, lossy: true, codec: "jpeg-ls" },
  { ...base, uid: JPEG_2000_LOSSLESS, name: "JPEG 2000 Image Compression (Lossless Only)", encapsulated: true, lossy: false, codec: "jpeg-2000" },
  { ...base, uid: JPEG_2000, name: "JPEG 2000 Image Compression", encapsulated: true, lossy: true, codec: "jpeg-2000" },
  { ...base, uid: RLE_LOSSLESS, name: "RLE Lossless", encapsulated: true, lossy: false, codec: "rle" },
];

/** All known transfer syntaxes keyed by UID. */
export const TRANSFER_SYNTAXES: ReadonlyMap<string, TransferSyntaxInfo> = new Map(table.map((t) => [t.uid, t]));

/** Returns the table entry for a UID, or undefined when Casebook cannot handle it. */
export function getTransferSyntax(uid: string): TransferSyntaxInfo | undefined {
  return TRANSFER_SYNTAXES.get(cleanUid(uid));
}

/** True when PixelData under this syntax is encapsulated (compressed fragments). Unknown UIDs count as encapsulated, the safe guess. */
export function isEncapsulated(uid: string): boolean {
  return getTransferSyntax(uid)?.encapsulated ?? true;
}

/** UIDs arrive padded with a trailing NUL or space from some writers. */
export function cleanUid(uid: string): string {
  return uid.replace(/[\0\s]+$/, "").trim();
}
