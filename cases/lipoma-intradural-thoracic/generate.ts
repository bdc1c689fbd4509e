/**
 * Intradural lipoma: a dorsal midline fatty mass inside the thecal sac at T4-T6 flattening the
 * cord ventrally; bright on T1 and T2, suppressed on fat saturation; fat density on CT.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial, mrSagittal } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { SweptSection, type Section } from "../generator/shapes";

const trunk = new Trunk({ cortex: 1.4 });
const zHi = trunk.levelZ("T4") + 13;
const zLo = trunk.levelZ("T6") - 13;
function extent(z: number): number {
  if (z > zHi || z < zLo) return 0;
  return Math.sin((Math.PI * (z - zLo)) / (zHi - zLo)) ** 0.6;
}
/** The lipoma expands the thecal sac at its levels, thinning the epidural fat around it. */
const sacOf = (z: number): Section => {
  const s = trunk.sac(z);
  const c = trunk.canal(z);
  const e = extent(z);
  return { cx: 0, cy: s.cy + 0.5 * e, rx: s.rx + (c.rx - 0.5 - s.rx) * e, ry: s.ry + (c.ry - 1.7 - s.ry) * e };
};
const lipoma = (z: number): Section | null => {
  const e = extent(z);
  if (e <= 0.05) return null;
  const s = sacOf(z);
  return { cx: 0, cy: s.cy + s.ry * (0.8 - 0.52 * e), rx: s.rx * (0.4 + 0.45 * e), ry: s.ry * 0.66 * e };
};
const kz = trunk.levelZ("T5");
const ks = sacOf(kz);
const lipomaPoint: [number, number, number] = [0, ks.cy + ks.ry * 0.42, kz];
const cordPoint: [number, number, number] = [0, ks.cy - ks.ry * 0.5, kz];
const zTop = trunk.levelZ("T5") + 64;

export const caseDefinition: CaseDefinition = {
  slug: "lipoma-intradural-thoracic",
  studyDescription: "MR THORACIC SPINE",
  bodyPart: "TSPINE",
  patientPosition: "HFS",
  tissues: {},
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      spine: {
        intradural: (scene) => scene.add("lipoma", new SweptSection(lipoma, zLo, zHi)),
        sac: (z) => sacOf(z),
        cord: (z, n) => {
          const e = extent(z);
          return { ...n, cy: n.cy - 3.2 * e, ry: n.ry * (1 - 0.45 * e), rx: n.rx * (1 + 0.18 * e) };
        },
      },
    });
  },
  series: [
    mrSagittal("MR SAG T1", "T1", [48, kz + 10], 260),
    mrSagittal("MR SAG T2", "T2", [48, kz + 10], 260),
    mrSagittal("MR SAG T1 FS", "T1FS", [48, kz + 10], 260),
    mrAxial("MR AX T1", "T1", zTop, [0, 55], 200),
    ctAxial("CT AX SOFT TISSUE", zTop),
  ],
  keyPoint: lipomaPoint,
  lesionTissues: ["lipoma"],
  keyImages: [
    {
      series: "MR SAG T1",
      at: lipomaPoint,
      caption: "Dorsal intradural mass at T4-T6, bright on T1 like fat, flattening the cord ventrally.",
      annotations: [
        { type: "arrow", target: lipomaPoint, from: [45, -30], text: "T1-bright dorsal mass" },
        { type: "arrow", target: cordPoint, from: [-45, -25], text: "Flattened cord" },
        { type: "text", at: [12, 20], text: "T4-T6" },
      ],
    },
    {
      series: "MR SAG T1 FS",
      at: lipomaPoint,
      caption: "Signal is suppressed with fat saturation: the mass is fat.",
      annotations: [{ type: "arrow", target: lipomaPoint, from: [45, -30], text: "Suppressed" }],
    },
    {
      series: "MR AX T1",
      at: lipomaPoint,
      caption: "Axial: the fat lies inside the thecal sac, dorsal to the cord.",
      annotations: [
        { type: "arrow", target: lipomaPoint, from: [40, 35], text: "Intradural fat" },
        { type: "ellipse", center: lipomaPoint, radiusMm: [5, 4], text: "Inside the thecal sac" },
      ],
    },
    {
      series: "CT AX SOFT TISSUE",
      at: lipomaPoint,
      caption: "CT: fat density (about -100 HU) in the dorsal canal.",
      annotations: [{ type: "arrow", target: lipomaPoint, from: [50, 50], text: "Fat density" }],
    },
  ],
};
