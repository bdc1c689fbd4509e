import { describe, expect, it } from "vitest";
import { CASE_DEFINITIONS } from "@/cases/generator/registry";
import { keyImagesYaml } from "@/cases/generator/run";
import { deterministicUid } from "@/cases/generator/prng";
import { TISSUE_ID } from "@/cases/generator/tissues";
import { parse } from "yaml";

describe("case image generator scenes", () => {
  it("gives every case neutral series descriptions and key images on lesion tissue", () => {
    expect(CASE_DEFINITIONS.map((d) => d.slug)).toHaveLength(9);
    for (const def of CASE_DEFINITIONS) {
      const yaml = parse(keyImagesYaml(def)) as { key_images: { series: string; instance: number }[] };
      expect(yaml.key_images.length).toBeGreaterThanOrEqual(2);
      const scene = def.buildScene();
      const lesionIds = def.lesionTissues.map((t) => TISSUE_ID[t]);
      for (const k of def.keyImages) {
        expect(def.series.some((s) => s.description === k.series)).toBe(true);
        // the first arrow or ellipse of each key image points at the lesion itself
        const first = k.annotations.find((a) => a.type !== "text");
        if (!first) throw new Error(`${def.slug}: key image without a pointer`);
        const p = first.type === "arrow" ? first.target : first.type === "ellipse" ? first.center : [0, 0, 0];
        expect(lesionIds, `${def.slug} ${k.series} ${first.text}`).toContain(scene.labelAt(p[0], p[1], p[2]));
      }
      for (const s of def.series) expect(s.description).toMatch(/^(CT|MR) (AX|SAG|COR) /);
    }
  });

  it("derives valid, stable DICOM UIDs", () => {
    const uid = deterministicUid("x/y/1");
    expect(uid).toBe(deterministicUid("x/y/1"));
    expect(uid).not.toBe(deterministicUid("x/y/2"));
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(uid.length).toBeLessThanOrEqual(64);
  });
});
