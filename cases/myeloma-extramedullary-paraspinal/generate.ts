/**
 * Extramedullary myeloma: a right paraspinal soft-tissue mass arising from a lytic rib head and
 * vertebral body at T9 with cortical destruction, extending into the neural foramen; several
 * small lytic lesions in other vertebrae. ~40 HU, T1 low-intermediate, T2 intermediate-high,
 * enhancing.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial, mrAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { Blob, Capsule, type Vec3 } from "../generator/shapes";

const trunk = new Trunk({ cortex: 1.4 });
const z9 = trunk.levelZ("T9");
const [rx9, ry9] = trunk.bodyRadii(z9);
const y9 = trunk.bodyY(z9);
const massC: Vec3 = [-(rx9 + 17), y9 + 16, z9 + 4];
const canal = trunk.canal(z9 - 9);
const zTop = trunk.levelZ("T7") + 10;
const lytic: Vec3[] = [
  [5, trunk.bodyY(trunk.levelZ("T7")) - 3, trunk.levelZ("T7") + 2],
  [-6, trunk.bodyY(trunk.levelZ("T10")) + 4, trunk.levelZ("T10") - 3],
  [7, trunk.bodyY(trunk.levelZ("T11")) - 2, trunk.levelZ("T11") + 4],
];

export const caseDefinition: CaseDefinition = {
  slug: "myeloma-extramedullary-paraspinal",
  studyDescription: "CT CHEST",
  bodyPart: "CHEST",
  patientPosition: "HFS",
  tissues: {},
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      afterBones: (scene) => {
        // the mass destroys the rib head and the right posterolateral body
        scene.add("myeloma", new Blob(massC, [19, 23, 27], 0.08, 1300, -0.3));
        scene.add("myeloma", new Blob([-rx9 * 0.45, y9 + ry9 * 0.35, z9 + 2], [9, 8, 10], 0.1, 1310));
        // extension through the neural foramen into the lateral epidural space
        scene.add("myeloma", new Capsule([massC[0] + 6, massC[1] + 6, z9 - 8], [-(canal.rx - 1.5), canal.cy, z9 - 9], 5.5, 4));
        lytic.forEach((c, i) => scene.add("myeloma", new Blob(c, [5.5, 5, 5.5], 0.1, 1320 + i)));
      },
    });
  },
  series: [
    ctAxial("CT AX SOFT TISSUE", zTop),
    mrAxial("MR AX T1", "T1", zTop),
    mrAxial("MR AX T2", "T2", zTop),
    mrAxial("MR AX T1 FS POST GD", "T1FSGD", zTop),
  ],
  keyPoint: massC,
  lesionTissues: ["myeloma"],
  keyImages: [
    {
      series: "CT AX SOFT TISSUE",
      at: massC,
      caption: "Right paraspinal soft-tissue mass destroying the rib head and posterolateral vertebral body.",
      annotations: [
        { type: "arrow", target: massC, from: [-70, -40], text: "Paraspinal mass" },
        { type: "arrow", target: [-rx9 * 0.45, y9 + ry9 * 0.35, z9 + 2], from: [30, -60], text: "Cortical destruction" },
      ],
    },
    {
      series: "MR AX T2",
      at: [massC[0], massC[1], z9 - 8],
      caption: "The mass extends through the right neural foramen into the spinal canal.",
      annotations: [
        { type: "arrow", target: [-(canal.rx - 1.5), canal.cy, z9 - 9], from: [-50, 45], text: "Foraminal extension" },
        { type: "ellipse", center: [massC[0], massC[1], z9 - 8], radiusMm: [20, 24], text: "Mass" },
      ],
    },
    {
      series: "MR AX T1 FS POST GD",
      at: massC,
      caption: "Avid enhancement of the mass.",
      annotations: [{ type: "arrow", target: massC, from: [-60, -40], text: "Enhancing mass" }],
    },
  ],
};
