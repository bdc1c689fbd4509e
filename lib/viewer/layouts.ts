/** Viewport grid layouts, rows x columns. */
export const LAYOUTS = [
  { id: "1x1", label: "1×1", rows: 1, columns: 1 },
  { id: "1x2", label: "1×2", rows: 1, columns: 2 },
  { id: "2x1", label: "2×1", rows: 2, columns: 1 },
  { id: "2x2", label: "2×2", rows: 2, columns: 2 },
] as const;

export type LayoutId = (typeof LAYOUTS)[number]["id"];

/** Number of viewports a layout shows. */
export function viewportCount(layout: LayoutId): number {
  const l = LAYOUTS.find((x) => x.id === layout)!;
  return l.rows * l.columns;
}
