import { describe, expect, it } from "vitest";
import { BUILT_IN_PRESETS, computeAutoWindow, dragWindow, findPresetByKey, listPresets } from "@/lib/viewer/window-level";

describe("window presets", () => {
  it("has the six CT presets on keys 1-6 with the issue's values", () => {
    const table = Object.fromEntries(BUILT_IN_PRESETS.map((p) => [p.key, [p.name, p.width, p.center]]));
    expect(table).toEqual({
      "1": ["Soft tissue", 400, 40],
      "2": ["Lung", 1500, -600],
      "3": ["Bone", 2500, 480],
      "4": ["Brain", 80, 40],
      "5": ["Liver", 150, 90],
      "6": ["Mediastinum", 350, 50],
    });
  });

  it("gives user presets keys 7-9 in order and never a built-in key", () => {
    const user = [
      { id: "a", name: "Stroke", width: 30, center: 35, key: "1" },
      { id: "b", name: "Subdural", width: 200, center: 75 },
    ];
    const all = listPresets(user);
    expect(all.map((p) => p.key)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(findPresetByKey(all, "7")?.name).toBe("Stroke");
    expect(findPresetByKey(all, "1")?.name).toBe("Soft tissue");
    expect(findPresetByKey(all, "9")).toBeUndefined();
  });
});

describe("computeAutoWindow", () => {
  it("uses the full rescaled range for CT", () => {
    const pixels = Int16Array.from([-1000, 0, 40, 3000]);
    const w = computeAutoWindow(pixels, { slope: 1, intercept: -1024, modality: "CT" });
    expect(w).toEqual({ width: 4000, center: -1024 + 1000 });
  });

  it("applies slope and intercept", () => {
    const w = computeAutoWindow(Uint16Array.from([0, 100]), { slope: 2, intercept: 10 });
    expect(w).toEqual({ width: 200, center: 110 });
  });

  it("ignores padding pixels", () => {
    const w = computeAutoWindow(Int16Array.from([-2000, -2000, 0, 100]), { slope: 1, intercept: 0, padding: -2000, modality: "CT" });
    expect(w).toEqual({ width: 100, center: 50 });
  });

  it("trims hot pixels on MR (0.5-99.5 percentile)", () => {
    const pixels = new Uint16Array(10_000);
    for (let i = 0; i < pixels.length; i++) pixels[i] = 100 + (i % 201); // 100..300
    pixels[0] = 4000; // a few outliers
    pixels[1] = 4095;
    const mr = computeAutoWindow(pixels, { slope: 1, intercept: 0, modality: "MR" });
    expect(mr.center - mr.width / 2).toBeGreaterThanOrEqual(100);
    expect(mr.center + mr.width / 2).toBeLessThanOrEqual(300);
    expect(mr.width).toBeGreaterThan(180);
    const ct = computeAutoWindow(pixels, { slope: 1, intercept: 0, modality: "CT" });
    expect(ct.width).toBe(4095 - 100);
  });

  it("never returns a zero width for a flat image", () => {
    expect(computeAutoWindow(new Uint8Array(16).fill(7), { slope: 1, intercept: 0 }).width).toBe(1);
  });
});

describe("dragWindow", () => {
  it("widens to the right, raises the level downwards, scaled by the value range", () => {
    expect(dragWindow({ width: 400, center: 40 }, 10, 0, 4096)).toEqual({ width: 440, center: 40 });
    expect(dragWindow({ width: 400, center: 40 }, 0, -10, 4096)).toEqual({ width: 400, center: 0 });
    expect(dragWindow({ width: 10, center: 40 }, -1000, 0, 4096).width).toBe(1);
  });
});
