/**
 * Thalassemic paraspinal EMH, active pattern: bilateral smooth lobulated paravertebral masses
 * T8-T11 of homogeneous soft-tissue density (~45 HU), muscle-like on T1 and T2, enhancing after
 * gadolinium; widened ribs and expanded marrow; mild splenomegaly in the lowest slices.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { lobuleBlobs, paravertebralLobules, THALASSEMIA_MARROW, THALASSEMIA_TRUNK } from "../generator/thalassemia";

const trunk = new Trunk(THALASSEMIA_TRUNK);
const LEVELS = ["T8", "T9", "T10", "T11"] as const;
const right = paravertebralLobules(trunk, -1, LEVELS, 1.0);
const left = paravertebralLobules(trunk, 1, LEVELS, 1.1);
const zTop = trunk.levelZ("T7") + 10;
const t9 = right[1]?.center ?? [0, 0, 0];
const t9l = left[1]?.center ?? [0, 0, 0];
const t10 = right[2]?.center ?? [0, 0, 0];
const t10l = left[2]?.center ?? [0, 0, 0];

export const caseDefinition: CaseDefinition = {
  slug: "emh-thalassemia-active",
  studyDescription: "CT CHEST",
  bodyPart: "CHEST",
  patientPosition: "HFS",
  tissues: THALASSEMIA_MARROW,
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      keepAorta: true,
      beforeBones: (scene) => scene.add("emhActive", ...lobuleBlobs(right, 100), ...lobuleBlobs(left, 200)),
    });
  },
  series: [
    ctAxial("CT AX SOFT TISSUE", zTop),
    mrAxial("MR AX T1", "T1", zTop),
    mrAxial("MR AX T2", "T2", zTop),
    mrAxial("MR AX T1 FS POST GD", "T1FSGD", zTop),
  ],
  keyPoint: [t9[0], t9[1], t9[2]],
  lesionTissues: ["emhActive"],
  keyImages: [
    {
      series: "CT AX SOFT TISSUE",
      at: t9,
      caption: "Bilateral smooth paravertebral soft-tissue masses of homogeneous density, no bone destruction; widened ribs.",
      annotations: [
        { type: "arrow", target: [t9[0] - 8, t9[1], t9[2]], from: [-60, -50], text: "Right paravertebral mass" },
        { type: "arrow", target: [t9l[0] + 8, t9l[1], t9l[2]], from: [60, -50], text: "Left paravertebral mass" },
        { type: "text", at: [20, 20], text: "T9" },
      ],
    },
    {
      series: "MR AX T2",
      at: t10,
      caption: "Masses are intermediate in signal, close to muscle, on T2.",
      annotations: [
        { type: "ellipse", center: t10, radiusMm: [18, 24], text: "Right mass" },
        { type: "ellipse", center: t10l, radiusMm: [19, 26], text: "Left mass" },
      ],
    },
    {
      series: "MR AX T1 FS POST GD",
      at: t10,
      caption: "Homogeneous enhancement after gadolinium.",
      annotations: [{ type: "arrow", target: t10l, from: [40, -40], text: "Enhancing mass" }],
    },
  ],
};
