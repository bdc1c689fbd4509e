import { describe, expect, it } from "vitest";
import { commandForKey, HOTKEYS } from "@/lib/viewer/hotkeys";
import { PRIMARY_TOOLS } from "@/lib/viewer/tools";
import { BUILT_IN_PRESETS } from "@/lib/viewer/window-level";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) =>
  commandForKey({ key, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("hotkey table", () => {
  it("binds no key twice and no command twice", () => {
    const keys = HOTKEYS.flatMap((h) => h.keys);
    expect(new Set(keys).size).toBe(keys.length);
    const commands = HOTKEYS.map((h) => h.command);
    expect(new Set(commands).size).toBe(commands.length);
  });

  it("keeps OHIF's defaults where OHIF has them", () => {
    expect(press("ArrowDown")).toBe("nextImage");
    expect(press("ArrowUp")).toBe("previousImage");
    expect(press("Home")).toBe("firstImage");
    expect(press("End")).toBe("lastImage");
    expect(press("i")).toBe("invert");
    expect(press("r")).toBe("rotateRight");
    expect(press("l")).toBe("rotateLeft");
    expect(press("h")).toBe("flipHorizontal");
    expect(press("v")).toBe("flipVertical");
    expect(press("=")).toBe("fitToWindow");
    expect(press(" ")).toBe("reset");
  });

  it("binds Page Up/Down and the help sheet on ?", () => {
    expect(press("PageDown")).toBe("pageDown");
    expect(press("PageUp")).toBe("pageUp");
    expect(press("?")).toBe("toggleHelp");
  });

  it("puts presets 1-6 on the built-in presets' keys", () => {
    for (const preset of BUILT_IN_PRESETS) expect(press(preset.key!)).toBe(`preset${preset.key}`);
  });

  it("gives every toolbar tool a key", () => {
    for (const tool of PRIMARY_TOOLS) expect(HOTKEYS.some((h) => h.command === tool.command), tool.tool).toBe(true);
  });

  it("leaves Ctrl/Alt/Meta combinations to the browser", () => {
    expect(press("r", { ctrlKey: true })).toBeUndefined();
    expect(press("1", { altKey: true })).toBeUndefined();
    expect(press("c", { metaKey: true })).toBeUndefined();
    expect(press("q")).toBeUndefined();
  });
});
