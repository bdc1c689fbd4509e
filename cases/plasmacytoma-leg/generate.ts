/**
 * Extramedullary (soft-tissue) plasmacytoma of the thigh: a well-defined oval subcutaneous mass
 * abutting the deep fascia anterolaterally; T1 iso to muscle, T2 FS hyperintense, avid
 * homogeneous enhancement; femoral marrow normal.
 */
import { addThigh, Thigh } from "../generator/anatomy/thigh";
import type { CaseDefinition } from "../generator/case-def";
import { mrAxial, mrCoronal } from "../generator/protocols";
import { Scene } from "../generator/scene";
import { Blob } from "../generator/shapes";

const thigh = new Thigh();
const zc = -520;
const angle = -0.85; // anterolateral
const massC = thigh.pointAt(zc, angle, 7.6);
// tangent direction of the fascia at the mass: the long axis lies along it
const tangent = Math.atan2(-Math.cos(angle), -Math.sin(angle));
const zTop = zc + 66;
// the fascia just beyond the anterior end of the mass, where it is not covered by it
const fascia = thigh.pointAt(zc, angle - 0.6, -0.7);

export const caseDefinition: CaseDefinition = {
  slug: "plasmacytoma-leg",
  studyDescription: "MR THIGH",
  bodyPart: "THIGH",
  patientPosition: "FFS",
  tissues: { muscle: { mrTex: 0.08 } },
  buildScene() {
    const scene = new Scene();
    addThigh(scene, thigh);
    scene.add("plasmacytoma", new Blob(massC, [23, 7.6, 31], 0.025, 1500, tangent));
    return scene;
  },
  series: [
    mrAxial("MR AX T1", "T1", zTop, [thigh.cx, thigh.cy], 220),
    mrAxial("MR AX T2 FS", "T2FS", zTop, [thigh.cx, thigh.cy], 220),
    mrAxial("MR AX T1 FS POST GD", "T1FSGD", zTop, [thigh.cx, thigh.cy], 220),
    // 20 coronal slices every 7.5 mm from the anterior skin to behind the femur
    mrCoronal("MR COR T1", "T1", [thigh.cx, zc], -75, 20, 7.5),
  ],
  keyPoint: massC,
  lesionTissues: ["plasmacytoma"],
  keyImages: [
    {
      series: "MR AX T2 FS",
      at: massC,
      caption: "Well-defined oval subcutaneous mass abutting the deep fascia of the anterolateral thigh, hyperintense on fat-saturated T2.",
      annotations: [
        { type: "arrow", target: massC, from: [-45, -45], text: "Subcutaneous mass" },
        { type: "arrow", target: fascia, from: [40, -50], text: "Deep fascia" },
      ],
    },
    {
      series: "MR AX T1 FS POST GD",
      at: massC,
      caption: "Avid homogeneous enhancement.",
      annotations: [{ type: "ellipse", center: massC, radiusMm: [20, 16], text: "Enhancing mass" }],
    },
    {
      series: "MR AX T1",
      at: massC,
      caption: "On T1 the mass is isointense to muscle; the femoral marrow is normal fatty marrow.",
      annotations: [{ type: "arrow", target: massC, from: [-45, -45], text: "Mass iso to muscle" }],
    },
    {
      series: "MR COR T1",
      at: massC,
      caption: "Coronal T1: oval mass along the fascia, longer craniocaudally.",
      annotations: [{ type: "arrow", target: massC, from: [-45, -30], text: "Mass" }],
    },
  ],
};
