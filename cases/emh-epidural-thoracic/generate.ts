/**
 * Epidural extramedullary hematopoiesis: a posterior/posterolateral epidural soft-tissue mass over
 * T5-T9 displacing the thecal sac forwards and compressing the cord; isointense to cord on T1,
 * slightly bright on T2, enhancing homogeneously; small paraspinal EMH; thalassemic marrow.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial, mrSagittal } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { SweptSection, type Section } from "../generator/shapes";
import { lobuleBlobs, paravertebralLobules, THALASSEMIA_MARROW, THALASSEMIA_TRUNK } from "../generator/thalassemia";

const trunk = new Trunk(THALASSEMIA_TRUNK);
const zHi = trunk.levelZ("T5") + 9;
const zLo = trunk.levelZ("T9") - 8;
const zMid = (zHi + zLo) / 2;
/** 0 outside the mass, rising smoothly to 1 inside, lobulated along z */
function extent(z: number): number {
  if (z > zHi || z < zLo) return 0;
  const u = (z - zLo) / (zHi - zLo);
  const env = Math.sin(Math.PI * u) ** 0.5;
  return env * (0.82 + 0.18 * Math.sin(z / 9));
}
const massSection = (z: number): Section | null => {
  const e = extent(z);
  if (e <= 0.05) return null;
  const c = trunk.canal(z);
  return { cx: 0.8, cy: c.cy + c.ry * (0.95 - 0.45 * e), rx: c.rx * (0.55 + 0.4 * e), ry: c.ry * 0.62 * e };
};
const small = paravertebralLobules(trunk, -1, ["T7", "T8"], 0.55);
const zTop = trunk.levelZ("T5") + 16;
const kz = trunk.levelZ("T7");
const kc = trunk.canal(kz);
const massPoint: [number, number, number] = [0, kc.cy + kc.ry * 0.55, kz];
const cordPoint: [number, number, number] = [0, kc.cy - kc.ry * 0.55, kz];

export const caseDefinition: CaseDefinition = {
  slug: "emh-epidural-thoracic",
  studyDescription: "MR THORACIC SPINE",
  bodyPart: "TSPINE",
  patientPosition: "HFS",
  tissues: THALASSEMIA_MARROW,
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      beforeBones: (scene) => scene.add("emhActive", ...lobuleBlobs(small, 1100)),
      spine: {
        epidural: (scene) => scene.add("emhEpidural", new SweptSection(massSection, zLo, zHi)),
        sac: (z, n) => {
          const e = extent(z);
          return { ...n, cy: n.cy - 2.6 * e, ry: n.ry * (1 - 0.38 * e), rx: n.rx * (1 + 0.05 * e) };
        },
        cord: (z, n) => {
          const e = extent(z);
          return { ...n, cy: n.cy - 2.8 * e, ry: n.ry * (1 - 0.35 * e), rx: n.rx * (1 + 0.12 * e) };
        },
      },
    });
  },
  series: [
    mrSagittal("MR SAG T1", "T1", [48, 30], 260),
    mrSagittal("MR SAG T2", "T2", [48, 30], 260),
    mrAxial("MR AX T2", "T2", zTop, [0, 55], 200),
    mrSagittal("MR SAG T1 FS POST GD", "T1FSGD", [48, 30], 260),
    ctAxial("CT AX SOFT TISSUE", zTop),
  ],
  keyPoint: massPoint,
  lesionTissues: ["emhEpidural"],
  keyImages: [
    {
      series: "MR SAG T2",
      at: massPoint,
      caption: "Multilevel posterior epidural mass T5-T9, slightly bright on T2, displacing and compressing the cord.",
      annotations: [
        { type: "arrow", target: massPoint, from: [45, -30], text: "Posterior epidural mass" },
        { type: "arrow", target: cordPoint, from: [-45, -30], text: "Compressed cord" },
        { type: "text", at: [12, 20], text: "T5-T9" },
      ],
    },
    {
      series: "MR AX T2",
      at: massPoint,
      caption: "Axial: the mass lies outside the dura, posterior to the thecal sac, flattening the cord.",
      annotations: [
        { type: "arrow", target: massPoint, from: [40, 35], text: "Epidural mass" },
        { type: "ellipse", center: massPoint, radiusMm: [9, 6], text: "Outside the dura" },
      ],
    },
    {
      series: "MR SAG T1 FS POST GD",
      at: massPoint,
      caption: "Homogeneous enhancement of the epidural tissue.",
      annotations: [{ type: "arrow", target: massPoint, from: [45, -30], text: "Enhancing epidural mass" }],
    },
  ],
};
