import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dicomParser from "dicom-parser";
import { afterAll, describe, expect, it } from "vitest";
import { BLANKED_DERIVATION, blankRectsSchema, blankRegions, CLEAN_PIXEL_CODE, CLEAN_PIXEL_METHOD, type BlankRect } from "@/lib/dicom/blank-regions";
import { DicomDecodeError } from "@/lib/dicom/codecs/errors";

const opts = { uidSalt: "blank-regions-test-salt" };
const fixtures = new URL("../../fixtures/dicom/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

/** Every stored sample of a native file, read independently of the code under test (dicom-parser). */
function image(bytes: Uint8Array) {
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16("x00280010")!;
  const columns = ds.uint16("x00280011")!;
  const samples = ds.uint16("x00280002") ?? 1;
  const planar = ds.uint16("x00280006") ?? 0;
  const bits = ds.uint16("x00280100")!;
  const signed = ds.uint16("x00280103") === 1;
  const frames = ds.intString("x00280008") ?? 1;
  const el = ds.elements.x7fe00010!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + el.dataOffset, el.length);
  const at = (i: number) => (bits === 8 ? (signed ? view.getInt8(i) : view.getUint8(i)) : signed ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true));
  /** The samples of pixel (x, y) of a frame. */
  const pixel = (frame: number, x: number, y: number): number[] => {
    const base = frame * rows * columns * samples;
    const p = y * columns + x;
    return Array.from({ length: samples }, (_, s) => at(planar === 1 ? base + s * rows * columns + p : base + p * samples + s));
  };
  return { ds, rows, columns, samples, frames, pixel };
}

const inside = (rects: readonly BlankRect[], x: number, y: number) => rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);

const work = mkdtempSync(join(tmpdir(), "casebook-blank-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dciodvfyErrors(name: string, bytes: Uint8Array): string[] {
  const file = join(work, name);
  writeFileSync(file, bytes);
  const run = spawnSync("dciodvfy", [file], { encoding: "utf8" });
  return `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => line.startsWith("Error"));
}

/**
 * Blanks `rects` in a fixture and checks every sample of every frame: inside a rectangle it is `fill`, outside it is
 * the original value. Returns both images for further checks.
 */
function checkBlanked(name: string, rects: BlankRect[], fill: (before: ReturnType<typeof image>) => number[]) {
  const input = fixture(name);
  const before = image(input);
  const result = blankRegions(input, rects, opts);
  const after = image(result.bytes);
  expect([after.rows, after.columns, after.samples, after.frames]).toEqual([before.rows, before.columns, before.samples, before.frames]);
  const expected = fill(before);
  expect(result.fill).toEqual(expected);
  let blanked = 0;
  let kept = 0;
  let changedOutside = 0;
  let wrongInside = 0;
  for (let f = 0; f < before.frames; f++) {
    for (let y = 0; y < before.rows; y++) {
      for (let x = 0; x < before.columns; x++) {
        const now = after.pixel(f, x, y);
        if (inside(rects, x, y)) {
          blanked += 1;
          if (now.join() !== expected.join()) wrongInside += 1;
        } else {
          kept += 1;
          if (now.join() !== before.pixel(f, x, y).join()) changedOutside += 1;
        }
      }
    }
  }
  expect(wrongInside).toBe(0);
  expect(changedOutside).toBe(0);
  expect(blanked).toBe(result.pixelsPerFrame * before.frames);
  expect(kept).toBeGreaterThan(0);
  return { before, after, result };
}

/** The extreme stored value over every sample of every frame. */
function extreme(img: ReturnType<typeof image>, pick: "min" | "max"): number {
  let v = pick === "min" ? Infinity : -Infinity;
  for (let f = 0; f < img.frames; f++)
    for (let y = 0; y < img.rows; y++)
      for (let x = 0; x < img.columns; x++) {
        const s = img.pixel(f, x, y)[0]!;
        v = pick === "min" ? Math.min(v, s) : Math.max(v, s);
      }
  return v;
}

describe("blankRegions", () => {
  it("blanks a 16-bit signed CT to its minimum stored value inside the rectangles only", () => {
    const rects = [
      { x: 0, y: 0, width: 40, height: 8 },
      { x: 60, y: 85, width: 36, height: 11 },
      { x: 30, y: 4, width: 20, height: 10 }, // overlaps the first
    ];
    const { before, result } = checkBlanked("burned-in/ct-16s.dcm", rects, (img) => [extreme(img, "min")]);
    expect(result.fill[0]).toBeLessThan(0);
    expect(before.pixel(0, 0, 0)).not.toEqual(result.fill); // the corner really changed
    expect(result.pixelsPerFrame).toBe(40 * 8 + 36 * 11 + 20 * 10 - 10 * 4);
  });

  it("blanks MONOCHROME1 to its maximum stored value, which displays black", () => {
    const { result } = checkBlanked("burned-in/mono1-16s.dcm", [{ x: 10, y: 10, width: 30, height: 5 }], (img) => [extreme(img, "max")]);
    expect(result.fill[0]).toBeGreaterThan(0);
  });

  it("blanks interleaved and planar RGB to black in all three channels", () => {
    checkBlanked("burned-in/sc-us-rgb.dcm", [{ x: 0, y: 0, width: 70, height: 6 }, { x: 50, y: 30, width: 20, height: 16 }], () => [0, 0, 0]);
    const planar = checkBlanked("burned-in/sc-us-rgb-planar.dcm", [{ x: 5, y: 40, width: 30, height: 6 }], () => [0, 0, 0]);
    expect(planar.after.ds.uint16("x00280006")).toBe(1);
  });

  it("blanks the same rectangle in every frame of a multi-frame image", () => {
    const { before } = checkBlanked("burned-in/mf-8u.dcm", [{ x: 0, y: 40, width: 48, height: 8 }], (img) => [extreme(img, "min")]);
    expect(before.frames).toBe(16);
  });

  it("sets BurnedInAnnotation to NO and records the Clean Pixel Data Option once", () => {
    const once = blankRegions(fixture("burned-in/sc-us-rgb.dcm"), [{ x: 1, y: 1, width: 2, height: 2 }], opts);
    const twice = blankRegions(once.bytes, [{ x: 3, y: 3, width: 2, height: 2 }], opts);
    for (const bytes of [once.bytes, twice.bytes]) {
      const ds = dicomParser.parseDicom(bytes);
      expect(ds.string("x00280301")).toBe("NO");
      expect(ds.string("x00120063")?.split("\\").filter((m) => m === CLEAN_PIXEL_METHOD)).toHaveLength(1);
      const codes = ds.elements.x00120064?.items?.map((item) => item.dataSet?.string("x00080100"));
      expect(codes?.filter((c) => c === CLEAN_PIXEL_CODE.value)).toHaveLength(1);
    }
  });

  it("makes a new instance: a new SOPInstanceUID in data set and file meta, DERIVED, derived from the source", () => {
    const input = fixture("burned-in/sc-us-rgb.dcm");
    const source = dicomParser.parseDicom(input);
    const rect = [{ x: 0, y: 0, width: 70, height: 6 }];
    const result = blankRegions(input, rect, opts);
    const ds = dicomParser.parseDicom(result.bytes);
    const uid = ds.string("x00080018");
    expect(result.sourceSopInstanceUid).toBe(source.string("x00080018"));
    expect(uid).toBe(result.sopInstanceUid);
    expect(uid).not.toBe(source.string("x00080018"));
    expect(uid).toMatch(/^2\.25\.\d{1,39}$/u);
    expect(ds.string("x00020003")).toBe(uid);
    expect(ds.string("x00080008")?.split("\\")[0]).toBe("DERIVED");
    expect(ds.string("x00082111")).toBe(BLANKED_DERIVATION);
    const ref = ds.elements.x00082112?.items?.[0]?.dataSet;
    expect([ref?.string("x00081150"), ref?.string("x00081155")]).toEqual([source.string("x00080016"), source.string("x00080018")]);
    // Derived, not random: the same blanking names its result alike; other rectangles, another salt or another
    // source do not.
    expect(blankRegions(input, rect, opts).sopInstanceUid).toBe(uid);
    expect(blankRegions(input, [{ x: 0, y: 0, width: 70, height: 7 }], opts).sopInstanceUid).not.toBe(uid);
    expect(blankRegions(input, rect, { uidSalt: "another-installation" }).sopInstanceUid).not.toBe(uid);
    expect(blankRegions(fixture("burned-in/sc-us-rgb-planar.dcm"), rect, opts).sopInstanceUid).not.toBe(uid);
    // Blanking again derives from the blanked image, and the derivation is described once.
    const twice = dicomParser.parseDicom(blankRegions(result.bytes, [{ x: 3, y: 30, width: 2, height: 2 }], opts).bytes);
    expect(twice.string("x00080018")).not.toBe(uid);
    expect(twice.string("x00082111")).toBe(BLANKED_DERIVATION);
    expect(twice.elements.x00082112?.items?.map((i) => i.dataSet?.string("x00081155"))).toEqual([source.string("x00080018"), uid]);
  });

  it("passes dciodvfy without errors on CT, MONOCHROME1 and RGB, and adds none to the multi-frame", () => {
    const rect = [{ x: 2, y: 2, width: 20, height: 6 }];
    for (const name of ["ct-16s.dcm", "mono1-16s.dcm", "sc-us-rgb.dcm", "sc-us-rgb-planar.dcm"]) {
      expect(dciodvfyErrors(`in-${name}`, fixture(`burned-in/${name}`)), name).toEqual([]);
      expect(dciodvfyErrors(`out-${name}`, blankRegions(fixture(`burned-in/${name}`), rect, opts).bytes), name).toEqual([]);
    }
    // The legacy MR source already has faults of its own (UID roots, dotted dates): blanking adds none. Its own
    // (illegal) UID now also appears where the new instance names its source, and nowhere else.
    const original = new Set(dciodvfyErrors("in-mf.dcm", fixture("burned-in/mf-8u.dcm")));
    const sourceUid = dicomParser.parseDicom(fixture("burned-in/mf-8u.dcm")).string("x00080018")!;
    const added = dciodvfyErrors("out-mf.dcm", blankRegions(fixture("burned-in/mf-8u.dcm"), rect, opts).bytes).filter((e) => !original.has(e));
    expect(added.filter((e) => !(e.includes(`"${sourceUid}"`) && e.includes("Referenced SOP Instance UID")))).toEqual([]);
    expect(added.length).toBeLessThanOrEqual(1);
  });

  it("refuses compressed pixels and rectangles outside the image", () => {
    expect(() => blankRegions(fixture("ct-16s.rle.dcm"), [{ x: 0, y: 0, width: 1, height: 1 }], opts)).toThrow(DicomDecodeError);
    expect(() => blankRegions(fixture("burned-in/ct-16s.dcm"), [{ x: 90, y: 0, width: 7, height: 1 }], opts)).toThrow(/right of the image/u);
  });
});

describe("blankRectsSchema", () => {
  const schema = blankRectsSchema(96, 64);
  it("accepts whole-pixel rectangles inside the image", () => {
    expect(schema.safeParse([{ x: 0, y: 0, width: 96, height: 64 }]).success).toBe(true);
  });
  it("refuses empty lists, fractions, negative origins, zero sizes and overhangs, naming the problem", () => {
    const messages = (input: unknown) => (schema.safeParse(input).error?.issues ?? []).map((i) => i.message);
    expect(messages([])).toEqual(["Draw at least one rectangle"]);
    expect(messages([{ x: 0.5, y: 0, width: 1, height: 1 }])).toEqual(["Use whole pixels"]);
    expect(messages([{ x: -1, y: 0, width: 1, height: 1 }])).toEqual(["Starts left of the image"]);
    expect(messages([{ x: 0, y: 0, width: 0, height: 1 }])).toEqual(["Draw at least one pixel wide"]);
    expect(messages([{ x: 90, y: 60, width: 7, height: 5 }])).toEqual(["Ends right of the image (96 columns)", "Ends below the image (64 rows)"]);
    expect(messages(Array.from({ length: 51 }, () => ({ x: 0, y: 0, width: 1, height: 1 })))).toEqual(["Use at most 50 rectangles"]);
  });
});
