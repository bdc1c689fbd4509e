import { describe, expect, it } from "vitest";
import { keyImageSchema, measurementListSchema, measurementSchema, windowPresetListSchema } from "@/lib/viewer/schemas";

const base = { id: "m1", seriesId: "s", instanceId: "i", frame: 0 };

describe("measurement schema", () => {
  it("accepts the three kinds the viewer emits", () => {
    const list = [
      { ...base, type: "length", points: [[1, 2], [3, 4]] },
      { ...base, id: "m2", type: "angle", points: [[1, 2], [3, 4], [5, 6]] },
      { ...base, id: "m3", type: "ellipse", center: [10, 10], radius: [3, 2] },
    ];
    expect(measurementListSchema.parse(list)).toEqual(list);
  });

  it("rejects wrong shapes, non-finite numbers and missing targets", () => {
    expect(measurementSchema.safeParse({ ...base, type: "length", points: [[1, 2]] }).success).toBe(false);
    expect(measurementSchema.safeParse({ ...base, type: "angle", points: [[1, 2], [3, 4]] }).success).toBe(false);
    expect(measurementSchema.safeParse({ ...base, type: "length", points: [[1, Number.NaN], [3, 4]] }).success).toBe(false);
    expect(measurementSchema.safeParse({ ...base, type: "polygon", points: [] }).success).toBe(false);
    const { instanceId: _omit, ...noInstance } = { ...base, type: "ellipse", center: [1, 1], radius: [1, 1] };
    expect(measurementSchema.safeParse(noInstance).success).toBe(false);
  });
});

describe("preset and key-image schemas", () => {
  it("allows at most three user presets with a positive width", () => {
    const p = (id: string) => ({ id, name: id, width: 80, center: 40 });
    expect(windowPresetListSchema.safeParse([p("a"), p("b"), p("c")]).success).toBe(true);
    expect(windowPresetListSchema.safeParse([p("a"), p("b"), p("c"), p("d")]).success).toBe(false);
    expect(windowPresetListSchema.safeParse([{ ...p("a"), width: 0 }]).success).toBe(false);
  });

  it("parses key images with arrow, ellipse and text annotations", () => {
    const key = {
      seriesId: "s",
      instanceId: "i",
      caption: "Key",
      annotations: [
        { type: "arrow", from: [0, 0], to: [5, 5], text: "here" },
        { type: "ellipse", center: [5, 5], radius: [2, 2] },
        { type: "text", at: [1, 1], text: "note" },
      ],
    };
    expect(keyImageSchema.parse(key)).toEqual(key);
    expect(keyImageSchema.safeParse({ ...key, annotations: [{ type: "text", at: [1, 1], text: "" }] }).success).toBe(false);
  });
});
