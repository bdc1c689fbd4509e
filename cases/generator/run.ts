/**
 * Generates a case: builds its scene once, renders every series, writes the DICOM files to
 * cases/<slug>/dicom/<series-folder>/<NNNN>.dcm and the case's key-images.yaml.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { CaseDefinition, SeriesSpec } from "./case-def";
import { buildDataset, writePart10 } from "./dicom";
import { nearestSlice, worldToPixel } from "./geometry";
import { rasterizeSeries, renderSeries, MR_SCALE, type LabelStack } from "./render";
import { buildTissueTable } from "./tissues";

export interface GenerateOptions {
  /** folder that receives <series-folder>/<NNNN>.dcm (default cases/<slug>/dicom) */
  outDir: string;
  /** only these SeriesDescriptions (default all) */
  series?: readonly string[];
  /** only these 1-based instance numbers (for quick test runs; geometry stays the same) */
  instances?: readonly number[];
}

export interface SeriesResult {
  description: string;
  folder: string;
  count: number;
  rows: number;
  cols: number;
  bytes: number;
  window: { center: number; width: number };
  /** rendered pixels of the key slice, for contact sheets */
  keyIndex: number;
  keyPixels: Int16Array | Uint16Array | null;
}

/** Folder name for a series: its number and description, filesystem-safe. */
export function seriesFolder(number: number, description: string): string {
  return `${String(number).padStart(2, "0")}-${description.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

/** Default display window of a series: CT soft tissue; MR from the key slice's signal range. */
export function defaultWindow(series: SeriesSpec, key: Int16Array | Uint16Array | null): { center: number; width: number } {
  if (series.contrast === "CT" || series.contrast === "CTPOST") return { center: 40, width: 400 };
  if (!key) return { center: MR_SCALE * 0.45, width: MR_SCALE * 0.9 };
  const hist = new Uint32Array(4096);
  let count = 0;
  for (let i = 0; i < key.length; i++) {
    const v = key[i] as number;
    if (v > MR_SCALE * 0.06) {
      hist[v] = (hist[v] ?? 0) + 1;
      count++;
    }
  }
  let acc = 0;
  let p995 = MR_SCALE;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v] as number;
    if (acc >= count * 0.995) {
      p995 = v;
      break;
    }
  }
  const width = Math.max(200, Math.round(p995 * 1.05));
  return { center: Math.round(width / 2), width };
}

/** Renders and writes all (or the selected) series of a case. */
export function generateCase(def: CaseDefinition, opts: GenerateOptions): SeriesResult[] {
  const scene = def.buildScene();
  const table = buildTissueTable(def.tissues);
  const results: SeriesResult[] = [];
  // series sharing a geometry (T1/T2/post-Gd, unenhanced/portal venous) share their label maps
  const labelCache = new Map<string, LabelStack>();
  def.series.forEach((series, si) => {
    if (opts.series && !opts.series.includes(series.description)) return;
    const number = si + 1;
    const folder = seriesFolder(number, series.description);
    const dir = join(opts.outDir, folder);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const keyIndex = nearestSlice(series.geometry, def.keyPoint);
    const only = opts.instances ? new Set([...opts.instances.map((n) => n - 1), keyIndex]) : undefined;
    const isCt = series.contrast === "CT" || series.contrast === "CTPOST";
    const samples = isCt ? 1 : 2;
    const cacheKey = JSON.stringify([series.geometry, samples, [...(only ?? [])]]);
    let labels = labelCache.get(cacheKey);
    if (!labels) {
      labels = rasterizeSeries(scene, series.geometry, samples, only);
      labelCache.set(cacheKey, labels);
    }
    const images = renderSeries(labels, table, {
      contrast: series.contrast,
      geometry: series.geometry,
      seedKey: `${def.slug}/${series.description}`,
      noise: isCt ? 12 : 0.018,
      blurMm: isCt ? 0.6 : 0.9,
    });
    const keyPixels = images[keyIndex] ?? null;
    const window = defaultWindow(series, keyPixels);
    let bytes = 0;
    let count = 0;
    images.forEach((pixels, index) => {
      if (!pixels) return;
      if (opts.instances && !opts.instances.includes(index + 1)) return;
      const file = writePart10(buildDataset({ def, series, seriesNumber: number, index, pixels, window }));
      writeFileSync(join(dir, `${String(index + 1).padStart(4, "0")}.dcm`), file);
      bytes += file.byteLength;
      count++;
    });
    results.push({ description: series.description, folder, count, rows: series.geometry.rows, cols: series.geometry.cols, bytes, window, keyIndex, keyPixels });
  });
  return results;
}

/** key-images.yaml content: world-space key images converted to slice numbers and pixels. */
export function keyImagesYaml(def: CaseDefinition): string {
  const key_images = def.keyImages.map((k) => {
    const series = def.series.find((s) => s.description === k.series);
    if (!series) throw new Error(`${def.slug}: key image refers to unknown series ${k.series}`);
    const g = series.geometry;
    const annotations = k.annotations.map((a) => {
      if (a.type === "text") return { type: a.type, at: a.at, text: a.text };
      if (a.type === "arrow") {
        const to = worldToPixel(g, a.target);
        return { type: a.type, from: [to[0] + a.from[0], to[1] + a.from[1]], to, text: a.text };
      }
      return { type: a.type, center: worldToPixel(g, a.center), radius: [Math.round(a.radiusMm[0] / g.spacing), Math.round(a.radiusMm[1] / g.spacing)], text: a.text };
    });
    return { series: k.series, instance: nearestSlice(g, k.at) + 1, caption: k.caption, annotations };
  });
  const header = "# Key images shown only after the reveal. Coordinates are image pixel coordinates [column, row] of that slice.\n# Generated from the world-space lesion positions in generate.ts by scripts/generate-cases.ts.\n";
  return header + stringify({ key_images }, { flowCollectionPadding: false, collectionStyle: "block" }).replace(/\n {6}- /g, "\n      - ");
}
