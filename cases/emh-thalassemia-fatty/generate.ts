/**
 * Thalassemic paraspinal EMH, inactive fatty pattern: bilateral paravertebral masses with large
 * fat areas (-60 to -100 HU) inside thin soft-tissue rims and septa; bright on T1 and T2,
 * suppressed on STIR; widened ribs.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { Blob } from "../generator/shapes";
import { lobuleBlobs, paravertebralLobules, THALASSEMIA_MARROW, THALASSEMIA_TRUNK } from "../generator/thalassemia";

const trunk = new Trunk(THALASSEMIA_TRUNK);
const LEVELS = ["T8", "T9", "T10", "T11"] as const;
const right = paravertebralLobules(trunk, -1, LEVELS, 1.05);
const left = paravertebralLobules(trunk, 1, LEVELS, 1.0);
const zTop = trunk.levelZ("T7") + 10;
const r9 = right[1]?.center ?? [0, 0, 0];
const l9 = left[1]?.center ?? [0, 0, 0];
const r10 = right[2]?.center ?? [0, 0, 0];
const l10 = left[2]?.center ?? [0, 0, 0];

export const caseDefinition: CaseDefinition = {
  slug: "emh-thalassemia-fatty",
  studyDescription: "CT CHEST",
  bodyPart: "CHEST",
  patientPosition: "HFS",
  tissues: THALASSEMIA_MARROW,
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      keepAorta: true,
      beforeBones: (scene) => {
        scene.add("emhActive", ...lobuleBlobs(right, 300), ...lobuleBlobs(left, 400));
        // fat replaces most of each lobule, leaving soft-tissue rims and septa between lobules
        for (const l of [...right, ...left]) {
          scene.add("emhFat", new Blob(l.center, [l.radii[0] * 0.78, l.radii[1] * 0.8, l.radii[2] * 0.72], 0.05, l.center[2] + 7));
        }
      },
    });
  },
  series: [
    ctAxial("CT AX SOFT TISSUE", zTop),
    mrAxial("MR AX T1", "T1", zTop),
    mrAxial("MR AX T2", "T2", zTop),
    mrAxial("MR AX STIR", "STIR", zTop),
  ],
  keyPoint: [r9[0], r9[1], r9[2]],
  lesionTissues: ["emhFat", "emhActive"],
  keyImages: [
    {
      series: "CT AX SOFT TISSUE",
      at: r9,
      caption: "Bilateral paravertebral masses with large areas of fat attenuation and thin soft-tissue septa.",
      annotations: [
        { type: "arrow", target: r9, from: [-60, -50], text: "Fat-density mass" },
        { type: "arrow", target: l9, from: [60, -50], text: "Fat-density mass" },
      ],
    },
    {
      series: "MR AX T1",
      at: r10,
      caption: "The masses are bright on T1, like subcutaneous fat.",
      annotations: [
        { type: "ellipse", center: r10, radiusMm: [18, 24], text: "T1 bright" },
        { type: "ellipse", center: l10, radiusMm: [18, 24], text: "T1 bright" },
      ],
    },
    {
      series: "MR AX STIR",
      at: r10,
      caption: "Signal is suppressed on STIR, confirming fat.",
      annotations: [{ type: "arrow", target: l10, from: [40, -40], text: "Suppressed on STIR" }],
    },
  ],
};
