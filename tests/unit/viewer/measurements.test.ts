import { describe, expect, it } from "vitest";
import { ellipseStats, measureAngle, measureLength, measurementHandles, measurementsOn, moveHandle } from "@/lib/viewer/measurements";
import type { Measurement } from "@/lib/viewer/types";

describe("length", () => {
  it("is in mm with pixel spacing (column spacing along x, row spacing along y)", () => {
    expect(measureLength([0, 0], [3, 4], { column: 1, row: 1 })).toEqual({ value: 5, unit: "mm" });
    expect(measureLength([0, 0], [3, 4], { column: 0.5, row: 0.5 })).toEqual({ value: 2.5, unit: "mm" });
    expect(measureLength([0, 0], [10, 0], { column: 0.7, row: 2 }).value).toBeCloseTo(7);
    expect(measureLength([0, 0], [0, 10], { column: 0.7, row: 2 }).value).toBeCloseTo(20);
  });

  it("falls back to pixels without spacing", () => {
    expect(measureLength([1, 1], [4, 5], null)).toEqual({ value: 5, unit: "px" });
  });
});

describe("angle", () => {
  it("is measured at the middle point", () => {
    expect(measureAngle([10, 0], [0, 0], [0, 10], null)).toBeCloseTo(90);
    expect(measureAngle([10, 0], [0, 0], [-10, 0], null)).toBeCloseTo(180);
    expect(measureAngle([10, 0], [0, 0], [10, 10], null)).toBeCloseTo(45);
  });

  it("honours anisotropic pixels", () => {
    // 45° in pixels becomes atan(2) in mm when rows are twice as far apart.
    expect(measureAngle([10, 0], [0, 0], [10, 10], { column: 1, row: 2 })).toBeCloseTo((Math.atan(2) * 180) / Math.PI);
  });
});

describe("ellipseStats", () => {
  const columns = 20;
  const rows = 20;
  // Left half 100, right half 300 (stored values).
  const pixels = Int16Array.from({ length: columns * rows }, (_, i) => (i % columns < 10 ? 100 : 300));

  it("gives mean, SD 0 and min/max inside a uniform region, in rescaled units", () => {
    const s = ellipseStats(pixels, columns, rows, [5, 10], [3, 3], { slope: 1, intercept: -1024 }, null);
    expect(s.mean).toBe(100 - 1024);
    expect(s.sd).toBe(0);
    expect(s.min).toBe(-924);
    expect(s.max).toBe(-924);
    expect(s.count).toBeGreaterThan(20);
  });

  it("gives the population SD across two values", () => {
    // Centred on the boundary: symmetric, so half the pixels are 100 and half 300.
    const s = ellipseStats(pixels, columns, rows, [10, 10], [4, 4], { slope: 1, intercept: 0 }, null);
    expect(s.mean).toBeCloseTo(200);
    expect(s.sd).toBeCloseTo(100);
  });

  it("reports the analytic area in mm² with spacing, px² without", () => {
    const mm = ellipseStats(pixels, columns, rows, [10, 10], [4, 2], { slope: 1, intercept: 0 }, { column: 0.5, row: 2 });
    expect(mm.areaUnit).toBe("mm²");
    expect(mm.area).toBeCloseTo(Math.PI * 4 * 2 * 0.5 * 2);
    const px = ellipseStats(pixels, columns, rows, [10, 10], [4, 2], { slope: 1, intercept: 0 }, null);
    expect(px.areaUnit).toBe("px²");
    expect(px.area).toBeCloseTo(Math.PI * 8);
  });

  it("counts pixels whose centres fall inside and clips at the image edge", () => {
    const inner = ellipseStats(pixels, columns, rows, [10, 10], [1, 1], { slope: 1, intercept: 0 }, null);
    expect(inner.count).toBe(4); // centres (9.5|10.5, 9.5|10.5)
    const edge = ellipseStats(pixels, columns, rows, [0, 0], [5, 5], { slope: 1, intercept: 0 }, null);
    expect(edge.count).toBeGreaterThan(0);
    expect(edge.mean).toBe(100);
  });
});

describe("measurementsOn", () => {
  it("selects the measurements of one image and frame", () => {
    const base = { seriesId: "s", instanceId: "i", frame: 0 };
    const all: Measurement[] = [
      { ...base, id: "a", type: "length", points: [[0, 0], [1, 1]] },
      { ...base, id: "b", frame: 1, type: "length", points: [[0, 0], [1, 1]] },
      { ...base, id: "c", instanceId: "j", type: "ellipse", center: [1, 1], radius: [1, 1] },
    ];
    expect(measurementsOn(all, "s", "i", 0).map((m) => m.id)).toEqual(["a"]);
  });
});

describe("editing handles", () => {
  const base = { id: "m", seriesId: "s", instanceId: "i", frame: 0 };

  it("moves one end of a length and leaves the other", () => {
    const m: Measurement = { ...base, type: "length", points: [[0, 0], [10, 0]] };
    expect(measurementHandles(m)).toEqual([[0, 0], [10, 0]]);
    expect(moveHandle(m, 1, [20, 5])).toEqual({ ...m, points: [[0, 0], [20, 5]] });
    expect(m.points[1]).toEqual([10, 0]); // the original is not mutated
  });

  it("moves an ellipse by its centre and resizes it by its corner", () => {
    const m: Measurement = { ...base, type: "ellipse", center: [10, 10], radius: [4, 2] };
    expect(measurementHandles(m)).toEqual([[10, 10], [14, 12]]);
    expect(moveHandle(m, 0, [20, 20])).toMatchObject({ center: [20, 20], radius: [4, 2] });
    expect(moveHandle(m, 1, [4, 16])).toMatchObject({ center: [10, 10], radius: [6, 6] });
  });

  it("moves the vertex of an angle", () => {
    const m: Measurement = { ...base, type: "angle", points: [[10, 0], [0, 0], [0, 10]] };
    const moved = moveHandle(m, 1, [5, 5]);
    expect(moved.type === "angle" && moved.points[1]).toEqual([5, 5]);
  });
});
