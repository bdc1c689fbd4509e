/**
 * Thalassemic paraspinal EMH, mixed pattern: heterogeneous paravertebral masses with soft-tissue
 * areas, fat areas and dark iron foci; the left mass is larger than the right.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { Blob } from "../generator/shapes";
import { lobuleBlobs, paravertebralLobules, THALASSEMIA_MARROW, THALASSEMIA_TRUNK } from "../generator/thalassemia";

const trunk = new Trunk(THALASSEMIA_TRUNK);
const right = paravertebralLobules(trunk, -1, ["T9", "T10"], 0.85);
const left = paravertebralLobules(trunk, 1, ["T8", "T9", "T10", "T11"], 1.3);
const zTop = trunk.levelZ("T7") + 10;
const l9 = left[1]?.center ?? [0, 0, 0];
const l10 = left[2]?.center ?? [0, 0, 0];
const r9 = right[0]?.center ?? [0, 0, 0];

export const caseDefinition: CaseDefinition = {
  slug: "emh-thalassemia-mixed",
  studyDescription: "CT CHEST",
  bodyPart: "CHEST",
  patientPosition: "HFS",
  tissues: THALASSEMIA_MARROW,
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      keepAorta: true,
      beforeBones: (scene) => {
        scene.add("emhActive", ...lobuleBlobs(right, 700), ...lobuleBlobs(left, 800));
        // fat in the posterior and lower parts, iron foci scattered through the soft tissue
        left.forEach((l, i) => {
          const [x, y, z] = l.center;
          scene.add("emhFat", new Blob([x + 3, y + l.radii[1] * 0.35, z - 2], [l.radii[0] * 0.55, l.radii[1] * 0.45, l.radii[2] * 0.6], 0.1, 900 + i));
          scene.add("emhIron", new Blob([x - 4, y - l.radii[1] * 0.35, z + 3], [4.5, 5, 5], 0.1, 950 + i));
          scene.add("emhIron", new Blob([x + 6, y - 2, z - 6], [3.5, 4, 4], 0.1, 970 + i));
        });
        right.forEach((l, i) => {
          const [x, y, z] = l.center;
          scene.add("emhFat", new Blob([x - 2, y + 3, z], [l.radii[0] * 0.45, l.radii[1] * 0.4, l.radii[2] * 0.5], 0.1, 990 + i));
          scene.add("emhIron", new Blob([x + 3, y - l.radii[1] * 0.4, z + 2], [3.5, 4, 4], 0.1, 995 + i));
        });
      },
    });
  },
  series: [
    ctAxial("CT AX SOFT TISSUE", zTop),
    mrAxial("MR AX T1", "T1", zTop),
    mrAxial("MR AX T2", "T2", zTop),
    mrAxial("MR AX STIR", "STIR", zTop),
  ],
  keyPoint: [l9[0], l9[1], l9[2]],
  lesionTissues: ["emhActive", "emhFat", "emhIron"],
  keyImages: [
    {
      series: "CT AX SOFT TISSUE",
      at: l9,
      caption: "Heterogeneous paravertebral masses, left larger than right, with soft-tissue and fat components.",
      annotations: [
        { type: "ellipse", center: l9, radiusMm: [24, 30], text: "Left mass: soft tissue and fat" },
        { type: "arrow", target: r9, from: [-60, -40], text: "Smaller right mass" },
      ],
    },
    {
      series: "MR AX T2",
      at: l10,
      caption: "Mixed signal: intermediate soft tissue, bright fat and dark iron foci.",
      annotations: [
        { type: "arrow", target: [l10[0] + 3, l10[1] + 8, l10[2] - 2], from: [50, 40], text: "Fat" },
        { type: "arrow", target: [l10[0] - 4, l10[1] - 9, l10[2] + 3], from: [50, -40], text: "Iron focus" },
      ],
    },
    {
      series: "MR AX STIR",
      at: l10,
      caption: "Fat components lose signal on STIR.",
      annotations: [{ type: "ellipse", center: l10, radiusMm: [24, 30], text: "Left mass" }],
    },
  ],
};
