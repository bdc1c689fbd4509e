import type { ViewerCommand } from "./hotkeys";

/** Which interaction each input drives: one table, resolved by one function. */

/** What a left drag does; chosen in the toolbar or with a hotkey. */
export type PrimaryTool = "windowLevel" | "scroll" | "zoom" | "pan" | "length" | "angle" | "ellipse" | AnnotationTool;
/** Tools of the case editor's viewer that draw key-image annotations (stored as data, shown after the reveal). */
export type AnnotationTool = "arrow" | "markEllipse" | "label";
export type DragAction = PrimaryTool | "pinch";

export type InputKind =
  | { kind: "mouse"; button: number; shift: boolean; ctrl: boolean }
  | { kind: "touch"; pointers: number }
  | { kind: "wheel"; ctrl: boolean };

export type Binding = {
  input: string;
  /** "primary" means "whatever tool is selected". */
  action: DragAction | "primary" | "scrollSlices" | "zoomStep";
  describe: string;
  matches: (input: InputKind) => boolean;
};

export const TOOL_BINDINGS: readonly Binding[] = [
  { input: "Shift + left drag", action: "pan", describe: "Pan", matches: (i) => i.kind === "mouse" && i.button === 0 && i.shift },
  { input: "Ctrl + left drag", action: "zoom", describe: "Zoom", matches: (i) => i.kind === "mouse" && i.button === 0 && i.ctrl },
  { input: "Left drag", action: "primary", describe: "Selected tool", matches: (i) => i.kind === "mouse" && i.button === 0 },
  { input: "Middle drag", action: "pan", describe: "Pan", matches: (i) => i.kind === "mouse" && i.button === 1 },
  { input: "Right drag", action: "zoom", describe: "Zoom", matches: (i) => i.kind === "mouse" && i.button === 2 },
  { input: "Ctrl + wheel / trackpad pinch", action: "zoomStep", describe: "Zoom", matches: (i) => i.kind === "wheel" && i.ctrl },
  { input: "Wheel", action: "scrollSlices", describe: "Scroll slices", matches: (i) => i.kind === "wheel" && !i.ctrl },
  { input: "One finger", action: "scroll", describe: "Scroll slices", matches: (i) => i.kind === "touch" && i.pointers === 1 },
  { input: "Two fingers", action: "pinch", describe: "Pan and pinch zoom", matches: (i) => i.kind === "touch" && i.pointers >= 2 },
];

/** The action an input performs now, given the selected primary tool; undefined if unbound. */
export function resolveAction(
  input: InputKind,
  primary: PrimaryTool,
  bindings: readonly Binding[] = TOOL_BINDINGS,
): DragAction | "scrollSlices" | "zoomStep" | undefined {
  const binding = bindings.find((b) => b.matches(input));
  if (!binding) return undefined;
  return binding.action === "primary" ? primary : binding.action;
}

/** The selectable left-drag tools, in toolbar order. */
export const PRIMARY_TOOLS: readonly { tool: PrimaryTool; label: string; short: string; command: ViewerCommand }[] = [
  { tool: "windowLevel", label: "Window/level", short: "W/L", command: "toolWindowLevel" },
  { tool: "scroll", label: "Scroll", short: "Scroll", command: "toolScroll" },
  { tool: "zoom", label: "Zoom", short: "Zoom", command: "toolZoom" },
  { tool: "pan", label: "Pan", short: "Pan", command: "toolPan" },
  { tool: "length", label: "Length", short: "Length", command: "toolLength" },
  { tool: "angle", label: "Angle", short: "Angle", command: "toolAngle" },
  { tool: "ellipse", label: "Elliptical ROI", short: "ROI", command: "toolEllipse" },
];

/**
 * The key-image annotation tools, offered only where the viewer edits key images (the case editor). Each draws one
 * shape of the stored annotation schema: a drag for arrows (tail to head) and ellipses (corner to corner), a click
 * for a text label. Enter on the focused image places the selected shape at its centre, for keyboard users.
 */
export const ANNOTATION_TOOLS: readonly { tool: AnnotationTool; label: string; short: string; command: ViewerCommand; shape: "arrow" | "ellipse" | "text" }[] = [
  { tool: "arrow", label: "Arrow annotation", short: "Arrow", command: "toolArrow", shape: "arrow" },
  { tool: "markEllipse", label: "Ellipse annotation", short: "Oval", command: "toolMarkEllipse", shape: "ellipse" },
  { tool: "label", label: "Text label", short: "Text", command: "toolLabel", shape: "text" },
];

/** True for the tools that draw key-image annotations rather than measurements or view changes. */
export function isAnnotationTool(tool: PrimaryTool): tool is AnnotationTool {
  return ANNOTATION_TOOLS.some((t) => t.tool === tool);
}
