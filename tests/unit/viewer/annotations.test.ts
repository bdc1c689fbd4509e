import { describe, expect, it } from "vitest";
import { annotationAnchor, annotationAtCentre, annotationFromDrag, annotationHandles, moveAnnotation, moveAnnotationHandle, NEW_LABEL_TEXT, replaceKeyImage, withText } from "@/lib/viewer/annotations";
import { ANNOTATION_HOTKEYS, commandForKey, HOTKEYS, keyLabel, SHAPE_HOTKEYS } from "@/lib/viewer/hotkeys";
import type { Annotation } from "@/lib/viewer/types";
import { annotationSchema } from "@/lib/viewer/schemas";
import { ANNOTATION_TOOLS, isAnnotationTool, PRIMARY_TOOLS, resolveAction } from "@/lib/viewer/tools";

describe("key-image annotation tools", () => {
  it("an arrow drag goes from its tail (drag start) to its head (drag end); a click draws no arrow", () => {
    expect(annotationFromDrag("arrow", [10, 20], [40, 60])).toEqual({ type: "arrow", from: [10, 20], to: [40, 60] });
    expect(annotationFromDrag("arrow", [10, 20], [10.5, 20.5])).toBeNull();
  });

  it("an ellipse is inscribed in the dragged box, whichever corner the drag starts from", () => {
    const e = { type: "ellipse", center: [30, 40], radius: [10, 20] };
    expect(annotationFromDrag("markEllipse", [20, 20], [40, 60])).toEqual(e);
    expect(annotationFromDrag("markEllipse", [40, 60], [20, 20])).toEqual(e);
    expect(annotationFromDrag("markEllipse", [20, 20], [40, 20.5])).toBeNull();
  });

  it("a label goes where the click was, with text for the author to type over", () => {
    expect(annotationFromDrag("label", [5, 6], [50, 60])).toEqual({ type: "text", at: [5, 6], text: NEW_LABEL_TEXT });
  });

  it("keyboard placement puts each shape at the image centre, inside the image, valid for the stored schema", () => {
    for (const t of ANNOTATION_TOOLS) {
      const a = annotationAtCentre(t.tool, 512, 256);
      expect(a.type).toBe(t.shape);
      expect(annotationSchema.safeParse(a).success).toBe(true);
      const points = a.type === "arrow" ? [a.from, a.to] : a.type === "ellipse" ? [a.center] : [a.at];
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(512);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(256);
      }
    }
    expect(annotationAtCentre("arrow", 512, 256)).toMatchObject({ to: [256, 128] });
  });

  it("relabelling keeps the shape; an arrow's emptied label is dropped, a text label keeps what was typed", () => {
    expect(withText({ type: "arrow", from: [0, 0], to: [1, 1], text: "old" }, "")).toEqual({ type: "arrow", from: [0, 0], to: [1, 1] });
    expect(withText({ type: "ellipse", center: [0, 0], radius: [1, 1] }, "mass")).toEqual({ type: "ellipse", center: [0, 0], radius: [1, 1], text: "mass" });
    expect(withText({ type: "text", at: [0, 0], text: "a" }, "b".repeat(300))).toMatchObject({ text: "b".repeat(200) });
  });

  it("replaces, appends and removes one image's key image, leaving the others in order", () => {
    const a = { seriesId: "s", instanceId: "a", caption: "", annotations: [] };
    const b = { seriesId: "s", instanceId: "b", caption: "", annotations: [] };
    expect(replaceKeyImage([a], b, b)).toEqual([a, b]);
    expect(replaceKeyImage([a, b], a, { ...a, caption: "x" })).toEqual([{ ...a, caption: "x" }, b]);
    expect(replaceKeyImage([a, b], a, null)).toEqual([b]);
    expect(replaceKeyImage([a], b, null)).toEqual([a]);
  });

  it("the annotation tools are left-drag tools bound to Shift+letters that no reading key uses", () => {
    for (const t of ANNOTATION_TOOLS) {
      expect(isAnnotationTool(t.tool)).toBe(true);
      expect(resolveAction({ kind: "mouse", button: 0, shift: false, ctrl: false }, t.tool)).toBe(t.tool);
      expect(ANNOTATION_HOTKEYS.some((h) => h.command === t.command)).toBe(true);
    }
    expect(PRIMARY_TOOLS.some((t) => isAnnotationTool(t.tool))).toBe(false);
    const readingKeys = new Set(HOTKEYS.flatMap((h) => h.keys));
    for (const h of ANNOTATION_HOTKEYS) for (const k of h.keys) expect(readingKeys.has(k), k).toBe(false);
    const table = [...HOTKEYS, ...ANNOTATION_HOTKEYS];
    const press = (key: string) => commandForKey({ key, ctrlKey: false, altKey: false, metaKey: false }, table);
    expect(press("A")).toBe("toolArrow");
    expect(press("a")).toBe("toolAngle");
    expect(press("K")).toBe("toggleKeyImage");
    expect(press("Enter")).toBe("placeAnnotation");
    expect(commandForKey({ key: "A", ctrlKey: false, altKey: false, metaKey: false })).toBeUndefined();
    expect(keyLabel("A")).toBe("Shift+A");
    expect(keyLabel("E")).toBe("Shift+E");
  });
});

describe("editing a drawn annotation by its handles", () => {
  it("drags an arrow's tail or head alone", () => {
    const arrow = { type: "arrow" as const, from: [0, 0] as [number, number], to: [10, 10] as [number, number], text: "t" };
    expect(annotationHandles(arrow)).toEqual([[0, 0], [10, 10]]);
    expect(moveAnnotationHandle(arrow, 0, [2, 3])).toEqual({ ...arrow, from: [2, 3] });
    expect(moveAnnotationHandle(arrow, 1, [20, 30])).toEqual({ ...arrow, to: [20, 30] });
  });

  it("moves an ellipse by its centre and resizes it by its corner, never below a pixel", () => {
    const e = { type: "ellipse" as const, center: [10, 10] as [number, number], radius: [4, 2] as [number, number] };
    expect(annotationHandles(e)).toEqual([[10, 10], [14, 12]]);
    expect(moveAnnotationHandle(e, 0, [20, 20])).toEqual({ ...e, center: [20, 20] });
    expect(moveAnnotationHandle(e, 1, [16, 5])).toEqual({ ...e, radius: [6, 5] });
    expect(moveAnnotationHandle(e, 1, [10, 10])).toEqual({ ...e, radius: [1, 1] });
  });

  it("moves a label by its anchor", () => {
    const t = { type: "text" as const, at: [1, 1] as [number, number], text: "x" };
    expect(annotationHandles(t)).toEqual([[1, 1]]);
    expect(moveAnnotationHandle(t, 0, [5, 6])).toEqual({ ...t, at: [5, 6] });
  });
});

describe("moveAnnotation (keyboard nudging)", () => {
  const arrow: Annotation = { type: "arrow", from: [10, 20], to: [30, 40], text: "mass" };
  it("moves every point of a shape by the step and keeps its size and text", () => {
    expect(moveAnnotation(arrow, [5, -3], 100, 100)).toEqual({ type: "arrow", from: [15, 17], to: [35, 37], text: "mass" });
    expect(moveAnnotation({ type: "ellipse", center: [50, 50], radius: [8, 4] }, [-10, 0], 100, 100)).toEqual({ type: "ellipse", center: [40, 50], radius: [8, 4] });
    expect(moveAnnotation({ type: "text", at: [1, 2], text: "T9" }, [0, 10], 100, 100)).toEqual({ type: "text", at: [1, 12], text: "T9" });
  });
  it("stops at the image's edges: the shape moves as far as it can, never off the image", () => {
    expect(moveAnnotation(arrow, [-25, 0], 100, 100)).toMatchObject({ from: [0, 20], to: [20, 40] });
    expect(moveAnnotation(arrow, [0, 100], 100, 50)).toMatchObject({ from: [10, 30], to: [30, 50] });
    expect(moveAnnotation({ type: "text", at: [99, 0], text: "x" }, [10, -10], 100, 100)).toEqual({ type: "text", at: [100, 0], text: "x" });
  });
  it("lets a shape that is already past an edge come back, never go further out", () => {
    const out: Annotation = { type: "text", at: [120, 50], text: "x" };
    expect(moveAnnotation(out, [10, 0], 100, 100)).toEqual(out);
    expect(moveAnnotation(out, [-10, 0], 100, 100)).toEqual({ type: "text", at: [110, 50], text: "x" });
  });
  it("places a shape by its anchor: an arrow's head, an ellipse's centre, a label's point", () => {
    expect(annotationAnchor(arrow)).toEqual([30, 40]);
    expect(annotationAnchor({ type: "ellipse", center: [5, 6], radius: [1, 1] })).toEqual([5, 6]);
    expect(annotationAnchor({ type: "text", at: [7, 8], text: "x" })).toEqual([7, 8]);
  });
});

describe("selected-shape keys", () => {
  const press = (key: string, table: Parameters<typeof commandForKey>[1]) => commandForKey({ key, ctrlKey: false, altKey: false, metaKey: false }, table);
  it("take precedence over navigation only while a shape is selected", () => {
    const editing = [...HOTKEYS, ...ANNOTATION_HOTKEYS, ...SHAPE_HOTKEYS];
    const selected = [...SHAPE_HOTKEYS, ...editing];
    expect(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Delete", "Backspace"].map((k) => press(k, selected))).toEqual([
      "moveShapeLeft", "moveShapeRight", "moveShapeUp", "moveShapeDown", "deleteShape", "deleteShape",
    ]);
    expect(press("ArrowDown", editing)).toBe("nextImage");
    expect(press("Delete", editing)).toBe("deleteMeasurement");
  });
  it("select shapes with Shift+N / Shift+P, keys no reading or annotation key uses", () => {
    expect(press("N", ANNOTATION_HOTKEYS)).toBe("selectNextShape");
    expect(press("P", ANNOTATION_HOTKEYS)).toBe("selectPreviousShape");
    const keys = [...HOTKEYS, ...ANNOTATION_HOTKEYS].flatMap((h) => h.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keyLabel("N")).toBe("Shift+N");
  });
});
