/**
 * Myelofibrosis: massive splenomegaly, diffuse osteosclerosis of vertebrae and ribs (marrow
 * 600-900 HU), and a left paravertebral / retroperitoneal soft-tissue mass (~40 HU) with mild
 * enhancement and fibrous strands: sclerosing extramedullary hematopoietic tumour.
 */
import { buildTrunkScene, Trunk } from "../generator/anatomy/trunk";
import type { CaseDefinition } from "../generator/case-def";
import { ctAxial } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { Blob, Capsule, type Vec3 } from "../generator/shapes";

const trunk = new Trunk({
  cortex: 2.4,
  // massive splenomegaly: the spleen fills the left abdomen from the diaphragm to below the
  // lowest section, pushing the stomach medially and the bowel to the right
  spleen: { center: [72, -8, -172], radii: [60, 76, 132], angle: -0.3 },
  stomach: { center: [14, -58, -108], radii: [24, 18, 26] },
  liver: { center: [-74, 10, -106], radii: [58, 70, 84] },
  loops: [
    [[-40, -62, -175], [22, 16, 18]],
    [[-8, -72, -200], [26, 14, 16]],
    [[-62, -40, -205], [20, 18, 20]],
  ],
});
const zc = trunk.levelZ("L1") + 6;
const [brx] = trunk.bodyRadii(zc);
const massC: Vec3 = [brx + 19, trunk.bodyY(zc) + 10, zc];
const zTop = trunk.levelZ("T11") + 5;

export const caseDefinition: CaseDefinition = {
  slug: "emh-sclerosing-myelofibrosis",
  studyDescription: "CT ABDOMEN",
  bodyPart: "ABDOMEN",
  patientPosition: "HFS",
  tissues: {
    marrow: { ct: 760, ctPost: 770, ctTex: 60, T1: 0.08, T2: 0.06, STIR: 0.06, T1FS: 0.08, T1FSGD: 0.1, T2FS: 0.06 },
  },
  buildScene() {
    return buildTrunkScene(new Scene(), trunk, {
      keepAorta: true,
      beforeBones: (scene) => {
        scene.add("emhSclerosing", new Blob(massC, [18, 25, 36], 0.09, 1200, 0.3));
        // fibrous strands running through the mass
        scene.add(
          "fibrous",
          new Capsule([massC[0] - 10, massC[1] - 18, massC[2] + 20], [massC[0] + 9, massC[1] + 16, massC[2] - 18], 1.3),
          new Capsule([massC[0] + 12, massC[1] - 10, massC[2] + 15], [massC[0] - 6, massC[1] + 20, massC[2] - 10], 1.1),
          new Capsule([massC[0] - 14, massC[1] + 5, massC[2] - 25], [massC[0] + 14, massC[1] - 3, massC[2] + 25], 1.2),
        );
      },
    });
  },
  series: [ctAxial("CT AX NON CONTRAST", zTop, "CT"), ctAxial("CT AX PORTAL VENOUS", zTop, "CTPOST")],
  keyPoint: massC,
  lesionTissues: ["emhSclerosing", "fibrous"],
  keyImages: [
    {
      series: "CT AX PORTAL VENOUS",
      at: massC,
      caption: "Left paravertebral soft-tissue mass with mild enhancement and fibrous strands; massive splenomegaly; dense vertebra.",
      annotations: [
        { type: "arrow", target: massC, from: [70, 40], text: "Paravertebral mass" },
        { type: "arrow", target: [90, 5, massC[2]], from: [60, -60], text: "Massive splenomegaly" },
        { type: "arrow", target: [0, trunk.bodyY(massC[2]), massC[2]], from: [-60, 50], text: "Sclerotic vertebra" },
      ],
    },
    {
      series: "CT AX NON CONTRAST",
      at: massC,
      caption: "Unenhanced: the mass is of soft-tissue density (about 40 HU), without calcification.",
      annotations: [{ type: "ellipse", center: massC, radiusMm: [22, 28], text: "Mass" }],
    },
  ],
};
