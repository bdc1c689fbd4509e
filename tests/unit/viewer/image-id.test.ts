import { describe, expect, it } from "vitest";
import { buildImageId, parseImageId } from "@/lib/viewer/image-id";
import { buildStack, findStackIndex } from "@/lib/viewer/stack";
import type { ViewerInstance } from "@/lib/viewer/types";

describe("image ids", () => {
  it("round-trips urls and frames", () => {
    expect(buildImageId("/api/i/1")).toBe("casebook:/api/i/1");
    expect(buildImageId("/api/i/1", 3)).toBe("casebook:/api/i/1#frame=3");
    expect(parseImageId("casebook:/api/i/1?x=1#frame=3")).toEqual({ url: "/api/i/1?x=1", frame: 3 });
    expect(parseImageId("casebook:https://h/x.dcm")).toEqual({ url: "https://h/x.dcm", frame: 0 });
  });

  it("rejects foreign schemes and bad frames", () => {
    expect(() => parseImageId("wadouri:/x")).toThrow();
    expect(() => parseImageId("casebook:/x#frame=-1")).toThrow();
  });
});

describe("buildStack", () => {
  const instance = (id: string, frames: number): ViewerInstance => ({
    id, url: `/i/${id}`, instanceNumber: null, position: [0, 0, 1], orientation: [1, 0, 0, 0, 1, 0], sliceLocation: null,
    sliceThickness: null, pixelSpacing: null, rows: 2, columns: 2, frames,
  });

  it("flattens multi-frame instances into one entry per frame, in order", () => {
    const stack = buildStack({ id: "s", description: "", modality: "US", seriesNumber: null, frameOfReferenceUid: null,
      instances: [instance("a", 1), instance("b", 3)] });
    expect(stack.map((e) => e.imageId)).toEqual(["casebook:/i/a", "casebook:/i/b", "casebook:/i/b#frame=1", "casebook:/i/b#frame=2"]);
    expect(findStackIndex(stack, "b", 2)).toBe(3);
    expect(findStackIndex(stack, "zzz")).toBe(-1);
    // Only the first frame carries the instance position (per-frame positions are not in the contract).
    expect(stack[2]!.geometry.position).toBeNull();
  });
});
