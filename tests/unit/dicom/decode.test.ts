import { readFileSync } from "node:fs";
import type { DicomDataset } from "dcmjs";
import { describe, expect, it } from "vitest";
import { DicomDecodeError, decodeFrame, type FrameInfo } from "@/lib/dicom/codecs";
import { decodeRleFrame } from "@/lib/dicom/codecs/rle";
import { readPart10 } from "@/lib/dicom/normalize";
import { getTransferSyntax, isEncapsulated, TRANSFER_SYNTAXES } from "@/lib/dicom/transfer-syntax";

const fixtures = new URL("../../fixtures/dicom/", import.meta.url);

function load(name: string) {
  return readPart10(new Uint8Array(readFileSync(new URL(name, fixtures))));
}

function num(dict: DicomDataset, tag: string, fallback = 0): number {
  const v = dict[tag]?.Value?.[0];
  return v === undefined ? fallback : Number(v);
}

function frameInfo(dict: DicomDataset): FrameInfo {
  return {
    rows: num(dict, "00280010"),
    columns: num(dict, "00280011"),
    bitsAllocated: num(dict, "00280100"),
    bitsStored: num(dict, "00280101"),
    pixelRepresentation: num(dict, "00280103"),
    samplesPerPixel: num(dict, "00280002", 1),
    photometricInterpretation: String(dict["00280004"]?.Value?.[0] ?? ""),
    planarConfiguration: num(dict, "00280006"),
  };
}

/** The first encapsulated frame as dcmjs delivers it (one fragment per frame in these fixtures). */
function firstFragment(dict: DicomDataset): Uint8Array {
  const value = dict["7FE00010"]?.Value?.[0];
  if (!(value instanceof ArrayBuffer)) throw new Error("expected one ArrayBuffer per frame");
  return new Uint8Array(value);
}

function nativeFrame(name: string, frameIndex = 0): Uint8Array {
  const { dict } = load(name);
  const info = frameInfo(dict);
  const length = info.rows * info.columns * info.samplesPerPixel * (info.bitsAllocated / 8);
  return new Uint8Array(dict["7FE00010"]?.Value?.[0] as ArrayBuffer).subarray(frameIndex * length, (frameIndex + 1) * length);
}

/** Samples as numbers, masked to BitsStored so codecs that drop sign extension still compare equal. */
function samples(bytes: Uint8Array, bitsAllocated: number, bitsStored: number): number[] {
  if (bitsAllocated === 8) return Array.from(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mask = 2 ** bitsStored - 1;
  return Array.from({ length: bytes.length / 2 }, (_, i) => view.getUint16(i * 2, true) & mask);
}

describe("transfer syntax table", () => {
  it("lists every syntax Casebook ingests with its encapsulation", () => {
    const expected: Record<string, boolean> = {
      "1.2.840.10008.1.2": false,
      "1.2.840.10008.1.2.1": false,
      "1.2.840.10008.1.2.1.99": false,
      "1.2.840.10008.1.2.2": false,
      "1.2.840.10008.1.2.4.50": true,
      "1.2.840.10008.1.2.4.51": true,
      "1.2.840.10008.1.2.4.57": true,
      "1.2.840.10008.1.2.4.70": true,
      "1.2.840.10008.1.2.4.80": true,
      "1.2.840.10008.1.2.4.81": true,
      "1.2.840.10008.1.2.4.90": true,
      "1.2.840.10008.1.2.4.91": true,
      "1.2.840.10008.1.2.5": true,
    };
    expect(new Set(TRANSFER_SYNTAXES.keys())).toEqual(new Set(Object.keys(expected)));
    for (const [uid, encapsulated] of Object.entries(expected)) expect(isEncapsulated(uid)).toBe(encapsulated);
  });

  it("tolerates NUL padding and names the syntax", () => {
    expect(getTransferSyntax("1.2.840.10008.1.2.4.90\0")?.name).toBe("JPEG 2000 Image Compression (Lossless Only)");
    expect(getTransferSyntax("1.2.3")).toBeUndefined();
  });
});

describe("decodeFrame, lossless syntaxes reproduce the uncompressed pixels exactly", () => {
  const cases: [fixture: string, reference: string][] = [
    ["ct-16s.jpeg-lossless-sv6.dcm", "ct-16s.dcm"],
    ["ct-16s.jpeg-lossless-sv1.dcm", "ct-16s.dcm"],
    ["ct-16s.jpeg-ls.dcm", "ct-16s.dcm"],
    ["ct-16s.j2k-lossless.dcm", "ct-16s.dcm"],
    ["ct-16s.rle.dcm", "ct-16s.dcm"],
    ["mf-8u.jpeg-ls.dcm", "mf-8u.dcm"],
    ["mf-8u.j2k-lossless.dcm", "mf-8u.dcm"],
    ["rgb-8u.jpeg-lossless-sv1.dcm", "rgb-8u.dcm"],
    ["rgb-8u.jpeg-ls.dcm", "rgb-8u.dcm"],
    ["rgb-8u.jpeg-ls-planar.dcm", "rgb-8u.dcm"],
    ["rgb-8u.j2k-lossless.dcm", "rgb-8u.dcm"],
    ["rgb-8u.rle.dcm", "rgb-8u.dcm"],
  ];
  it.each(cases)("%s", async (fixture, reference) => {
    const { dict, meta } = load(fixture);
    const info = frameInfo(dict);
    const decoded = await decodeFrame(String(meta["00020010"]?.Value?.[0]), firstFragment(dict), info);
    const expected = nativeFrame(reference);
    expect(decoded.length).toBe(expected.length);
    expect(samples(decoded, info.bitsAllocated, info.bitsStored)).toEqual(samples(expected, info.bitsAllocated, info.bitsStored));
  });
});

describe("decodeFrame, lossy syntaxes stay close to the original", () => {
  const cases: [fixture: string, reference: string, maxMean: number, maxAbs: number][] = [
    ["mf-8u.jpeg-baseline.dcm", "mf-8u.dcm", 6, 20],
    ["mf-8u.jpeg-ls-near.dcm", "mf-8u.dcm", 2, 2], // NEAR=2 bounds every sample by 2
    ["mf-8u.j2k-lossy.dcm", "mf-8u.dcm", 10, 90],
  ];
  it.each(cases)("%s", async (fixture, reference, maxMean, maxAbs) => {
    const { dict, meta } = load(fixture);
    const decoded = await decodeFrame(String(meta["00020010"]?.Value?.[0]), firstFragment(dict), frameInfo(dict));
    const expected = nativeFrame(reference);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < expected.length; i++) {
      const d = Math.abs((decoded[i] ?? 0) - (expected[i] ?? 0));
      sum += d;
      max = Math.max(max, d);
    }
    expect(sum / expected.length).toBeLessThanOrEqual(maxMean);
    expect(max).toBeLessThanOrEqual(maxAbs);
    // A decoder that returns zeros or noise would fail these too: the mean intensity must match.
    const mean = (a: Uint8Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(decoded) - mean(expected))).toBeLessThan(5);
  });
});

describe("decodeFrame, JPEG extended 12-bit", () => {
  async function decode12() {
    const { dict, meta } = load("ct-16s.jpeg-extended-12bit.dcm");
    const info = frameInfo(dict);
    const decoded = await decodeFrame(String(meta["00020010"]?.Value?.[0]), firstFragment(dict), info);
    return { dict, info, decoded: new DataView(decoded.buffer, decoded.byteOffset, decoded.byteLength) };
  }

  it("matches dcmtk's decode of the same stream to within one unit", async () => {
    const { info, decoded } = await decode12();
    expect(info.bitsStored).toBe(12);
    const reference = new Uint8Array(readFileSync(new URL("ct-16s.jpeg-extended-12bit.dcmdjpeg.raw", fixtures)));
    const ref = new DataView(reference.buffer, reference.byteOffset, reference.byteLength);
    let max = 0;
    let high = 0;
    for (let i = 0; i < info.rows * info.columns; i++) {
      max = Math.max(max, Math.abs(decoded.getUint16(i * 2, true) - ref.getUint16(i * 2, true)));
      high = Math.max(high, decoded.getUint16(i * 2, true));
    }
    expect(max).toBeLessThanOrEqual(1);
    // Values above 255 prove the decoder kept 12-bit precision rather than 8-bit output.
    expect(high).toBeGreaterThan(1000);
  });

  it("keeps HU close to the original after dcmcjpeg's new rescale slope and intercept", async () => {
    const { dict, info, decoded } = await decode12();
    const slope = num(dict, "00281053", 1);
    const intercept = num(dict, "00281052", 0);
    const original = new DataView(nativeFrame("ct-16s.dcm").slice().buffer);
    let sum = 0;
    let signed = 0;
    const n = info.rows * info.columns;
    for (let i = 0; i < n; i++) {
      const d = decoded.getUint16(i * 2, true) * slope + intercept - original.getInt16(i * 2, true);
      sum += Math.abs(d);
      signed += d;
    }
    expect(sum / n).toBeLessThan(6);
    // No level-shift bias: errors average out.
    expect(Math.abs(signed / n)).toBeLessThan(1.5);
  });
});

describe("decodeFrame, failures", () => {
  it("rejects a corrupt JPEG 2000 stream with a DicomDecodeError", async () => {
    const { dict, meta } = load("ct-16s.j2k-lossless.dcm");
    const broken = firstFragment(dict).slice(0, 200);
    await expect(decodeFrame(String(meta["00020010"]?.Value?.[0]), broken, frameInfo(dict))).rejects.toThrow();
  });

  it("rejects an RLE frame whose segment count does not match the image", () => {
    const { dict } = load("ct-16s.rle.dcm");
    const info = { ...frameInfo(dict), samplesPerPixel: 3 };
    expect(() => decodeRleFrame(firstFragment(dict), info)).toThrow(DicomDecodeError);
    expect(() => decodeRleFrame(firstFragment(dict), info)).toThrow(/2 segments, expected 6/);
  });

  it("rejects an RLE frame cut short", () => {
    const { dict } = load("ct-16s.rle.dcm");
    const cut = firstFragment(dict).slice(0, 4000);
    expect(() => decodeRleFrame(cut, frameInfo(dict))).toThrow(DicomDecodeError);
  });

  it("refuses native syntaxes and unknown UIDs", async () => {
    const info = frameInfo(load("ct-16s.dcm").dict);
    await expect(decodeFrame("1.2.840.10008.1.2.1", new Uint8Array(4), info)).rejects.toThrow(/not a compressed/);
    await expect(decodeFrame("1.2.3.4", new Uint8Array(4), info)).rejects.toThrow(/not supported/);
  });
});
