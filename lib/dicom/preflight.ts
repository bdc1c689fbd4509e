import type { DataSet } from "dicom-parser";
import { DicomInvalidError, parseDicomBytes } from "@/lib/dicom/instance-meta";
import { formatBytes } from "@/lib/format";

const DEFLATED = "1.2.840.10008.1.2.1.99";

// PS3.5 6.2: every VR an explicit VR data set may carry.
const VRS = new Set("AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV".split(" "));

function checkVrs(ds: DataSet, depth: number): void {
  if (depth > 16) throw new DicomInvalidError("sequences are nested implausibly deep");
  for (const element of Object.values(ds.elements)) {
    // Item and delimitation tags (group FFFE) carry no VR; dicom-parser may still fill one in.
    if (element.vr !== undefined && !VRS.has(element.vr) && !element.tag.startsWith("xfffe")) {
      const tag = element.tag.slice(1).toUpperCase();
      throw new DicomInvalidError(`element (${tag.slice(0, 4)},${tag.slice(4)}) has an invalid value representation`);
    }
    for (const item of element.items ?? []) if (item.dataSet) checkVrs(item.dataSet, depth + 1);
  }
}

/**
 * Checks a file's structure before the de-identifier and the codecs see it: every element within the data
 * (dicom-parser checks bounds, which dcmjs does not), every explicit VR a real one, and an image size that can
 * be decoded within `maxDecodedBytes`. dcmjs trusts lengths and VRs, and one flipped byte could otherwise make
 * it allocate gigabytes.
 *
 * @throws DicomInvalidError naming what is wrong.
 */
export function preflightDicom(bytes: Uint8Array, maxDecodedBytes: number): void {
  const ds = parseDicomBytes(bytes);
  // dicom-parser's view of an inflated deflate data set ends in padding it reads as elements: bounds only there.
  if (ds.string("x00020010")?.replace(/\0/g, "").trim() !== DEFLATED) checkVrs(ds, 0);
  const rows = ds.uint16("x00280010") ?? 0;
  const columns = ds.uint16("x00280011") ?? 0;
  const frames = Number.parseInt(ds.string("x00280008") ?? "1", 10);
  const samples = ds.uint16("x00280002") ?? 1;
  const bits = ds.uint16("x00280100") ?? 16;
  const decoded = rows * columns * (Number.isFinite(frames) && frames > 0 ? frames : 1) * samples * Math.ceil(bits / 8);
  if (decoded > maxDecodedBytes) {
    throw new DicomInvalidError(`the image would decode to ${formatBytes(decoded)}, more than the ${formatBytes(maxDecodedBytes)} allowed per file`);
  }
}
