/**
 * Thalassemic paraspinal EMH, inactive iron-laden pattern: paravertebral masses slightly dense on
 * unenhanced CT (~70 HU), dark on T1 and T2, little enhancement; vertebral marrow, liver and
 * spleen are dark too (transfusional iron overload).
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { lobuleBlobs, paravertebralLobules, THALASSEMIA_TRUNK } from "../generator/thalassemia";

const trunk = new Trunk(THALASSEMIA_TRUNK);
const LEVELS = ["T9", "T10", "T11"] as const;
const right = paravertebralLobules(trunk, -1, LEVELS, 0.95);
const left = paravertebralLobules(trunk, 1, LEVELS, 0.9);
const zTop = trunk.levelZ("T7") + 10;
const r10 = right[1]?.center ?? [0, 0, 0];
const l10 = left[1]?.center ?? [0, 0, 0];

export const caseDefinition: CaseDefinition = {
  slug: "emh-thalassemia-iron",
  studyDescription: "CT CHEST",
  bodyPart: "CHEST",
  patientPosition: "HFS",
  tissues: {
    marrow: { ct: 160, ctPost: 170, ctTex: 110, T1: 0.14, T2: 0.07, STIR: 0.07, T1FS: 0.12, T1FSGD: 0.15, T2FS: 0.07, mrTex: 0.15 },
    liver: { ct: 82, ctPost: 130, T1: 0.22, T2: 0.05, STIR: 0.05, T1FS: 0.2, T1FSGD: 0.25, T2FS: 0.05 },
    spleen: { T1: 0.2, T2: 0.08, STIR: 0.08, T1FS: 0.18, T1FSGD: 0.25, T2FS: 0.08 },
  },
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      keepAorta: true,
      beforeBones: (scene) => scene.add("emhIron", ...lobuleBlobs(right, 500), ...lobuleBlobs(left, 600)),
    });
  },
  series: [
    ctAxial("CT AX SOFT TISSUE", zTop),
    mrAxial("MR AX T1", "T1", zTop),
    mrAxial("MR AX T2", "T2", zTop),
    mrAxial("MR AX T1 FS POST GD", "T1FSGD", zTop),
  ],
  keyPoint: [r10[0], r10[1], r10[2]],
  lesionTissues: ["emhIron"],
  keyImages: [
    {
      series: "CT AX SOFT TISSUE",
      at: r10,
      caption: "Paravertebral masses slightly denser than muscle on unenhanced CT.",
      annotations: [
        { type: "arrow", target: r10, from: [-60, -50], text: "Right mass" },
        { type: "arrow", target: l10, from: [60, -50], text: "Left mass" },
      ],
    },
    {
      series: "MR AX T2",
      at: r10,
      caption: "Masses are markedly dark on T2 (iron); the vertebral marrow and liver are dark too.",
      annotations: [
        { type: "ellipse", center: r10, radiusMm: [17, 22], text: "Dark mass" },
        { type: "ellipse", center: l10, radiusMm: [17, 22], text: "Dark mass" },
        { type: "arrow", target: [0, trunk.bodyY(r10[2]), r10[2]], from: [0, -60], text: "Dark marrow" },
      ],
    },
  ],
};
