import { describe, expect, it } from "vitest";
import { caseDefinition as active } from "@/cases/emh-thalassemia-active/generate";
import { caseDefinition as fatty } from "@/cases/emh-thalassemia-fatty/generate";
import { caseDefinition as mf } from "@/cases/emh-sclerosing-myelofibrosis/generate";
import type { CaseDefinition } from "@/cases/generator/case-def";
import { nearestSlice, planeOf } from "@/cases/generator/geometry";
import { rasterizeSeries, renderSeries } from "@/cases/generator/render";
import { buildTissueTable, TISSUE_ID, type TissueName } from "@/cases/generator/tissues";

/** Renders the CT key slice and returns mean HU per tissue (pixels away from tissue edges). */
function ctStats(def: CaseDefinition, description: string): Map<TissueName, number> {
  const series = def.series.find((s) => s.description === description);
  if (!series) throw new Error("no series");
  const g = series.geometry;
  const k = nearestSlice(g, def.keyPoint);
  const labels = rasterizeSeries(def.buildScene(), g, 1, new Set([k]));
  const img = renderSeries(labels, buildTissueTable(def.tissues), { contrast: series.contrast, geometry: g, seedKey: "t", noise: 12, blurMm: 0.6 })[k];
  const lab = labels.planes[k]?.[0];
  if (!img || !lab) throw new Error("not rendered");
  const sums = new Map<number, [number, number]>();
  for (let r = 3; r < g.rows - 3; r++) {
    for (let c = 3; c < g.cols - 3; c++) {
      const i = r * g.cols + c;
      const t = lab[i] as number;
      // interior pixels only: all neighbours within 3 px share the label
      if (lab[i - 3] !== t || lab[i + 3] !== t || lab[i - 3 * g.cols] !== t || lab[i + 3 * g.cols] !== t) continue;
      const s = sums.get(t) ?? [0, 0];
      s[0] += img[i] as number;
      s[1] += 1;
      sums.set(t, s);
    }
  }
  const out = new Map<TissueName, number>();
  for (const [name, id] of Object.entries(TISSUE_ID)) {
    const s = sums.get(id);
    if (s && s[1] > 20) out.set(name as TissueName, s[0] / s[1]);
  }
  void planeOf;
  return out;
}

describe("CT pixel values", () => {
  it("has air, fat, muscle, bone and an active EMH mass in their HU ranges", () => {
    const s = ctStats(active, "CT AX SOFT TISSUE");
    expect(s.get("air")).toBeLessThan(-950);
    expect(s.get("fat")).toBeGreaterThan(-130);
    expect(s.get("fat")).toBeLessThan(-70);
    expect(s.get("muscle")).toBeGreaterThan(20);
    expect(s.get("muscle")).toBeLessThan(60);
    expect(s.get("cortex")).toBeGreaterThan(300);
    expect(s.get("emhActive")).toBeGreaterThan(35);
    expect(s.get("emhActive")).toBeLessThan(55);
  });

  it("shows fat attenuation in the fatty EMH masses", () => {
    const v = ctStats(fatty, "CT AX SOFT TISSUE").get("emhFat");
    expect(v).toBeGreaterThan(-100);
    expect(v).toBeLessThan(-60);
  });

  it("shows sclerotic marrow (600-900 HU) and a ~40 HU mass in myelofibrosis", () => {
    const s = ctStats(mf, "CT AX NON CONTRAST");
    expect(s.get("marrow")).toBeGreaterThan(600);
    expect(s.get("marrow")).toBeLessThan(900);
    expect(s.get("emhSclerosing")).toBeGreaterThan(30);
    expect(s.get("emhSclerosing")).toBeLessThan(50);
  });
});
