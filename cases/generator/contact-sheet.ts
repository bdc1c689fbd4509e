/**
 * Contact sheet of a case: the key slice of every series at its default window, one labelled
 * tile per series, written as a PNG for a human to check the anatomy at a glance.
 */
import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { drawText } from "./font";
import type { SeriesResult } from "./run";

const TILE = 384;

/** Writes the contact sheet PNG of a case's series results. */
export function writeContactSheet(path: string, slug: string, results: readonly SeriesResult[]): void {
  const tiles = results.filter((r) => r.keyPixels);
  const perRow = Math.min(3, tiles.length);
  const nRows = Math.ceil(tiles.length / perRow);
  const width = perRow * TILE;
  const height = nRows * TILE + 24;
  const png = new PNG({ width, height });
  const rgba = png.data as unknown as Uint8Array;
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = 20;
    rgba[i + 1] = 20;
    rgba[i + 2] = 20;
    rgba[i + 3] = 255;
  }
  drawText(rgba, width, height, 4, 4, `${slug} - synthetic`, 2);
  tiles.forEach((t, k) => {
    const ox = (k % perRow) * TILE;
    const oy = 24 + Math.floor(k / perRow) * TILE;
    const px = t.keyPixels as Int16Array | Uint16Array;
    const lo = t.window.center - t.window.width / 2;
    for (let y = 0; y < TILE; y++) {
      const sy = Math.min(t.rows - 1, Math.floor((y * t.rows) / TILE));
      for (let x = 0; x < TILE; x++) {
        const sx = Math.min(t.cols - 1, Math.floor((x * t.cols) / TILE));
        const v = px[sy * t.cols + sx] as number;
        const g = Math.max(0, Math.min(255, Math.round(((v - lo) / t.window.width) * 255)));
        const o = ((oy + y) * width + ox + x) * 4;
        rgba[o] = g;
        rgba[o + 1] = g;
        rgba[o + 2] = g;
      }
    }
    drawText(rgba, width, height, ox + 4, oy + 4, `${t.description} ${t.keyIndex + 1}`, 2);
  });
  // grey-scale output: a quarter of the RGBA bytes before compression (labels turn light grey)
  writeFileSync(path, PNG.sync.write(png, { colorType: 0, deflateLevel: 9 }));
}
