import { describe, expect, it } from "vitest";
import { resolveAction } from "@/lib/viewer/tools";

const mouse = (button: number, mods: Partial<{ shift: boolean; ctrl: boolean }> = {}) =>
  ({ kind: "mouse", button, shift: false, ctrl: false, ...mods }) as const;

describe("tool bindings", () => {
  it("gives the left button the selected tool", () => {
    expect(resolveAction(mouse(0), "windowLevel")).toBe("windowLevel");
    expect(resolveAction(mouse(0), "length")).toBe("length");
  });

  it("keeps pan and zoom on the other buttons and on modifiers whatever the tool", () => {
    expect(resolveAction(mouse(1), "length")).toBe("pan");
    expect(resolveAction(mouse(2), "length")).toBe("zoom");
    expect(resolveAction(mouse(0, { shift: true }), "windowLevel")).toBe("pan");
    expect(resolveAction(mouse(0, { ctrl: true }), "windowLevel")).toBe("zoom");
  });

  it("scrolls with the wheel and zooms with Ctrl+wheel (trackpad pinch)", () => {
    expect(resolveAction({ kind: "wheel", ctrl: false }, "zoom")).toBe("scrollSlices");
    expect(resolveAction({ kind: "wheel", ctrl: true }, "scroll")).toBe("zoomStep");
  });

  it("scrolls with one finger and pans/zooms with two", () => {
    expect(resolveAction({ kind: "touch", pointers: 1 }, "windowLevel")).toBe("scroll");
    expect(resolveAction({ kind: "touch", pointers: 2 }, "windowLevel")).toBe("pinch");
  });

  it("leaves unbound buttons alone", () => {
    expect(resolveAction(mouse(3), "windowLevel")).toBeUndefined();
  });
});
