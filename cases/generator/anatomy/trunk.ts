/**
 * Thorax and upper abdomen as one continuous model (so a sagittal spine series and an axial
 * abdomen series come from the same anatomy). Coordinates: LPS mm, T8 vertebral body centre at
 * z = 0, vertebral body centre near y = 40 (posterior), body outline centred near the origin.
 */
import { Blob, Capsule, Clipped, Rib, SweptSection, tube, type Section, type Shape, type Vec3 } from "../shapes";
import type { Scene } from "../scene";

/** Vertebral level names the model knows, head to feet. */
export const LEVELS = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3"] as const;
export type Level = (typeof LEVELS)[number];

export interface TrunkOptions {
  /** rib thickness multiplier (marrow expansion in thalassemia widens the ribs) */
  ribScale?: number;
  /** vertebral body size multiplier */
  vertebraScale?: number;
  /** cortical bone thickness in mm */
  cortex?: number;
  spleen?: { center: Vec3; radii: Vec3; angle?: number };
  stomach?: { center: Vec3; radii: Vec3 };
  liver?: { center: Vec3; radii: Vec3 };
  /** small-bowel and colon loops (centre, radii), e.g. displaced by a large spleen */
  loops?: [Vec3, Vec3][];
}

/** Spine geometry helpers shared by the anatomy builders and the case lesion descriptions. */
export class Trunk {
  readonly ribScale: number;
  readonly vScale: number;
  readonly cortex: number;
  constructor(readonly opts: TrunkOptions = {}) {
    this.ribScale = opts.ribScale ?? 1;
    this.vScale = opts.vertebraScale ?? 1;
    this.cortex = opts.cortex ?? 1.4;
  }

  /** z of the centre of a vertebral body. */
  levelZ(level: Level): number {
    const n = LEVELS.indexOf(level) + 1;
    return n <= 12 ? -(n - 8) * 26 : -104 - (n - 12) * 31;
  }

  /** Continuous level index (1 = T1) at a z, for sizes that grow caudally. */
  levelIndex(z: number): number {
    return z >= -104 ? 8 - z / 26 : 12 + (-104 - z) / 31;
  }

  /** y of the vertebral body centre (thoracic kyphosis, lumbar lordosis). */
  bodyY(z: number): number {
    return 40 - 0.00035 * (z - 20) ** 2;
  }

  /** Vertebral body half-width and half-depth at a z. */
  bodyRadii(z: number): [number, number] {
    const n = this.levelIndex(z);
    return [(11 + 0.75 * n) * this.vScale, (9 + 0.6 * n) * this.vScale];
  }

  /** Bony canal section (centre and radii) at a z. */
  canal(z: number): Section {
    const [, ry] = this.bodyRadii(z);
    const n = this.levelIndex(z);
    const crx = n > 12 ? 10.5 : 8.5;
    const cry = n > 12 ? 9 : 8.5;
    return { cx: 0, cy: this.bodyY(z) + ry + cry + 0.5, rx: crx, ry: cry };
  }

  /** Thecal sac (dura) section at a z, before any displacement by a mass. */
  sac(z: number): Section {
    const c = this.canal(z);
    return { cx: 0, cy: c.cy - 0.6, rx: c.rx - 1.2, ry: c.ry - 1.6 };
  }

  /** Body-level height (without disc) of the level around z. */
  discHalf(z: number): number {
    return this.levelIndex(z) > 12 ? 4.5 : 2.5;
  }

  /** Descending aorta section: left paravertebral in the chest, drifting to the midline at the hiatus. */
  aorta(z: number): Section {
    const k = Math.min(1, Math.max(0, (20 - z) / 150));
    const [, ry] = this.bodyRadii(z);
    return { cx: 23 - 19 * k, cy: this.bodyY(z) - ry * 0.7 - 10 * k, rx: 12 - 1.5 * k, ry: 12 - 1.5 * k };
  }

  /** Diaphragm surface: points of the trunk cavity below this z are abdomen. */
  diaphragmZ(x: number, y: number): number {
    // right dome higher than the left, joined smoothly across the central tendon under the heart
    const dome = -49 - 7 * Math.tanh(x / 30);
    const lat = Math.max(0, Math.abs(x + 4) - 40);
    return dome - 0.005 * lat * lat - 0.0055 * Math.max(0, y + 10) ** 2 - 0.003 * Math.max(0, -y - 20) ** 2;
  }
}

const Z_MIN = -260;
const Z_MAX = 260;

/** Outline of the trunk at z: thorax wider than the upper abdomen. */
function outline(z: number, inset: number): Section {
  const t = Math.min(1, Math.max(0, (-z - 60) / 80)); // 0 thorax -> 1 abdomen
  const a = 160 - 10 * t;
  const b = 113 - 5 * t;
  return { cx: 0, cy: 8, rx: a - inset, ry: b - inset };
}

/** Inner cavity (inside the ribs / abdominal wall muscles). */
function cavity(z: number): Section {
  const t = Math.min(1, Math.max(0, (-z - 60) / 80));
  return { cx: 0, cy: 10, rx: 128 - 4 * t, ry: 82 - 2 * t };
}

function inSection(s: Section, x: number, y: number): boolean {
  const dx = (x - s.cx) / s.rx;
  const dy = (y - s.cy) / s.ry;
  return dx * dx + dy * dy <= 1;
}

/** Skin, subcutaneous fat, chest/abdominal wall and paraspinal muscles, lungs, diaphragm. */
export function addBodyWall(scene: Scene, t: Trunk): void {
  scene.add("skin", new SweptSection((z) => outline(z, 0), Z_MIN, Z_MAX, 2.3));
  scene.add("fat", new SweptSection((z) => outline(z, 2.2), Z_MIN, Z_MAX, 2.3));
  // wall muscles: an inner layer (intercostals / transversus and obliques) around the cavity,
  // and outer muscles that taper towards their edges: each is an ellipse shifted towards where
  // the muscle is thickest, seen only where it reaches beyond the inner layer
  // (no clipping needed: on the far side a shifted ellipse lies inside the inner layer, which is
  // painted over it; plain sections also rasterise as fast row fills)
  const wall = (dx: number, dy: number, grow = 0, zMin = Z_MIN, zMax = Z_MAX) => new SweptSection((z) => {
    const c = cavity(z);
    return { cx: c.cx + dx, cy: c.cy + dy, rx: c.rx + 9 + grow, ry: c.ry + 8 + grow };
  }, zMin, zMax, 2.15);
  for (const side of [-1, 1]) {
    // latissimus dorsi, posterolateral, from the lower thorax to the upper abdomen
    scene.add("muscle", wall(side * 9, 9, 0, -230, 110));
    // serratus anterior, lateral chest wall
    scene.add("muscle", wall(side * 7, -5, 0, -75, Z_MAX));
    // pectoralis major, anterior upper chest
    scene.add("muscle", wall(side * 12, -9, 0, 40, Z_MAX));
    // external oblique over the lateral abdominal wall
    scene.add("muscle", wall(side * 5, -2, 0, Z_MIN, -70));
    // rectus abdominis, paramedian, below the xiphoid
    scene.add("muscle", new SweptSection((z) => {
      const c = cavity(z);
      return { cx: side * 27, cy: c.cy - c.ry - 5, rx: 23, ry: 7.5 };
    }, Z_MIN, -62));
  }
  // fat plane between the outer muscles and the inner layer, then the inner layer
  scene.add("fat", wall(0, 0, 1.3));
  scene.add("muscle", wall(0, 0));
  // linea alba between the recti
  scene.add("fascia", new SweptSection((z) => {
    const c = cavity(z);
    return { cx: 0, cy: c.cy - c.ry - 5, rx: 1.2, ry: 8 };
  }, Z_MIN, -62));
  const cav = new SweptSection(cavity, Z_MIN, Z_MAX, 2.15);
  // abdominal contents start as fat; lungs fill the cavity above the diaphragm
  scene.add("fat", cav);
  scene.add("muscle", new Clipped(cav, (x, y, z) => z < t.diaphragmZ(x, y) + 1.5 && z > t.diaphragmZ(x, y) - 2.5));
  scene.add("lung", new Clipped(cav, (x, y, z) => z >= t.diaphragmZ(x, y) + 1.5));
  // posterior midline block: paraspinal muscles and posterior elements sit in it
  scene.add("muscle", new SweptSection((z) => {
    const c = t.canal(z);
    return { cx: 0, cy: c.cy + 30, rx: 46, ry: 32 };
  }, Z_MIN, Z_MAX, 3));
  for (const side of [-1, 1]) {
    // erector spinae: a rounded-rectangular bulk in each paravertebral groove; a thin fat plane
    // separates it from the overlying trapezius / latissimus layer
    scene.add("fat", new SweptSection((z) => ({ cx: side * 31, cy: t.canal(z).cy + 31, rx: 27, ry: 21 }), Z_MIN, Z_MAX, 2.5, side * 0.22));
    scene.add("muscle", new SweptSection((z) => ({ cx: side * 31, cy: t.canal(z).cy + 30.5, rx: 26, ry: 20 }), Z_MIN, Z_MAX, 2.5, side * 0.22));
    // fat planes between multifidus (medial), longissimus and iliocostalis (lateral)
    scene.add("fat", new SweptSection((z) => ({ cx: side * 17, cy: t.canal(z).cy + 33, rx: 0.8, ry: 15 }), Z_MIN, Z_MAX, 2, -side * 0.35));
    scene.add("fat", new SweptSection((z) => ({ cx: side * 41, cy: t.canal(z).cy + 33, rx: 0.7, ry: 13 }), Z_MIN, Z_MAX, 2, -side * 0.5));
  }
  // midline: interspinous and supraspinous ligaments between the two erector spinae
  scene.add("fascia", new SweptSection((z) => ({ cx: 0, cy: t.canal(z).cy + 32, rx: 1.1, ry: 22 }), Z_MIN, Z_MAX, 2));
}

/** Heart, great vessels, aorta, esophagus, azygos, trachea, mediastinal fat, scapulae. */
export function addThoraxOrgans(scene: Scene, t: Trunk): void {
  const inCav = (s: Shape) => new Clipped(s, (x, y, z) => inSection(cavity(z), x, y) && z > t.diaphragmZ(x, y) + 1.5);
  // mediastinal fat between the lungs
  scene.add("fat", inCav(new SweptSection(() => ({ cx: 0, cy: -12, rx: 26, ry: 58 }), -80, Z_MAX, 2.4)));
  scene.add("fat", inCav(new SweptSection((z) => ({ cx: 4, cy: t.bodyY(z) - 20, rx: 30, ry: 16 }), -110, Z_MAX, 2.2)));
  // heart in its pericardial fat
  scene.add("fat", inCav(new Blob([14, -28, 8], [66, 48, 58], 0, 3, 0.5)));
  scene.add("myocardium", inCav(new Blob([14, -28, 8], [60, 42, 52], 0.03, 4, 0.5)));
  scene.add("blood", inCav(new Blob([12, -27, 10], [47, 31, 42], 0.05, 5, 0.5)));
  scene.add("myocardium", inCav(new Capsule([-4, -30, -20], [30, -26, 40], 4))); // septum
  // great vessels above the heart
  scene.add("blood", tube(-4, -22, 15, 15, 40, 112)); // ascending aorta
  scene.add("blood", new Capsule([-4, -22, 112], [22, 22, 112], 12.5)); // arch
  scene.add("blood", tube(14, -32, 13, 13, 45, 82)); // pulmonary trunk
  scene.add("blood", tube(-26, -16, 9, 9, 45, 180)); // SVC
  // descending aorta drifts from left paravertebral to midline at the hiatus
  scene.add("blood", new SweptSection((z) => t.aorta(z), Z_MIN, 112));
  // esophagus anterior to the spine, turning left to the stomach
  const esoSec = (z: number): Section | null => {
    const k = Math.min(1, Math.max(0, (-20 - z) / 80));
    const [, ry] = t.bodyRadii(z);
    return { cx: -3 + 28 * k, cy: t.bodyY(z) - ry - 9 - 20 * k, rx: 8, ry: 6.5 };
  };
  scene.add("esophagus", new SweptSection(esoSec, -100, Z_MAX));
  scene.add("air", new SweptSection((z) => {
    const s = esoSec(z);
    return s ? { ...s, rx: 1.8, ry: 1.2 } : null;
  }, -80, Z_MAX));
  // azygos vein right anterolateral of the bodies
  scene.add("blood", new SweptSection((z) => ({ cx: -12, cy: t.bodyY(z) - t.bodyRadii(z)[1] + 2, rx: 4, ry: 4 }), -110, 100));
  // trachea and main bronchi
  scene.add("esophagus", tube(0, -2, 11, 10, 78, Z_MAX));
  scene.add("air", tube(0, -2, 8.5, 7.5, 78, Z_MAX));
  for (const side of [-1, 1]) {
    scene.add("esophagus", new Capsule([0, -2, 80], [side * 38, 4, 55], 8));
    scene.add("air", new Capsule([0, -2, 80], [side * 38, 4, 55], 5.5));
  }
  // scapulae: thin bony blades outside the posterolateral ribs
  for (const side of [-1, 1]) {
    const blade = (inset: number) => new SweptSection((z) => ({ cx: side * (100 - (170 - z) * 0.08), cy: 88, rx: 36 - inset, ry: 4.5 - inset }), 22, 175, 2.6, -side * 0.55);
    scene.add("muscle", new SweptSection((z) => ({ cx: side * (100 - (170 - z) * 0.08), cy: 84, rx: 44, ry: 13 }), 12, 180, 2.4, -side * 0.55));
    scene.add("cortex", blade(0));
    scene.add("marrow", blade(1.6));
  }
}

/** Liver, stomach, spleen, kidneys, pancreas, IVC, psoas, crura and bowel below the diaphragm. */
export function addAbdomenOrgans(scene: Scene, t: Trunk): void {
  const below = (s: Shape) => new Clipped(s, (x, y, z) => inSection(cavity(z), x, y) && z < t.diaphragmZ(x, y) - 2.5);
  const lv = t.opts.liver ?? { center: [-52, 4, -118] as Vec3, radii: [80, 80, 98] as Vec3 };
  scene.add("liver", below(new Blob(lv.center, lv.radii, 0.02, 11)));
  scene.add("liver", below(new Blob([12, -44, -92], [52, 28, 40], 0.02, 12)));
  const st = t.opts.stomach ?? { center: [52, -22, -100] as Vec3, radii: [38, 36, 38] as Vec3 };
  scene.add("stomachFluid", below(new Blob(st.center, st.radii, 0.04, 13)));
  scene.add("bowel", below(new Clipped(new Blob(st.center, st.radii, 0.04, 13), (x, y, z) => {
    const dx = (x - st.center[0]) / st.radii[0];
    const dy = (y - st.center[1]) / st.radii[1];
    const dz = (z - st.center[2]) / st.radii[2];
    return dx * dx + dy * dy + dz * dz > 0.78;
  })));
  scene.add("air", below(new Clipped(new Blob(st.center, [st.radii[0] - 5, st.radii[1] - 5, st.radii[2] - 5], 0.04, 13), (_x, y) => y < st.center[1] - st.radii[1] * 0.45)));
  const sp = t.opts.spleen ?? { center: [84, 48, -100] as Vec3, radii: [26, 50, 46] as Vec3 };
  const spAngle = sp.angle ?? -0.45;
  // a thin fat plane separates the spleen from the stomach, liver and bowel it abuts
  scene.add("fat", below(new Blob(sp.center, [sp.radii[0] + 2.5, sp.radii[1] + 2.5, sp.radii[2] + 2], 0.04, 14, spAngle)));
  scene.add("spleen", below(new Blob(sp.center, sp.radii, 0.04, 14, spAngle)));
  // splenic vein from the hilum along the back of the pancreas to the portal confluence
  const hilum: Vec3 = [sp.center[0] - sp.radii[0] * 0.75, sp.center[1] - sp.radii[1] * 0.25, Math.min(sp.center[2], -118)];
  scene.add("blood", below(new Capsule(hilum, [-6, 14, -150], 4.5)));
  // IVC: from the right atrium down, through the liver
  scene.add("blood", new SweptSection((z) => ({ cx: -22, cy: t.bodyY(z) - t.bodyRadii(z)[1] - 24, rx: 12, ry: 10 }), Z_MIN, -35));
  // crura of the diaphragm around the aorta
  for (const side of [-1, 1]) {
    scene.add("muscle", new SweptSection((z) => {
      const [rx, ry] = t.bodyRadii(z);
      return { cx: side * (rx * 0.55), cy: t.bodyY(z) - ry - 4, rx: 4.5, ry: 6 };
    }, -170, -70));
  }
  // kidneys in their perirenal fat, with cortex, medulla and sinus fat
  for (const side of [-1, 1]) {
    const c: Vec3 = [side * 70, 52, side < 0 ? -168 : -152];
    const ang = side * 0.55;
    scene.add("fat", below(new Blob(c, [31, 25, 60], 0.03, 26 + side, ang)));
    scene.add("kidneyCortex", below(new Blob(c, [24, 19, 52], 0.02, 20 + side, ang)));
    scene.add("kidneyMedulla", below(new Blob(c, [16, 12, 42], 0.12, 22 + side, ang)));
    scene.add("fat", below(new Blob([c[0] - side * 12, c[1] - 8, c[2]], [9, 7, 24], 0.05, 24 + side, ang)));
  }
  scene.add("pancreas", below(new Blob([18, -6, -150], [58, 12, 14], 0.08, 30, -0.25)));
  // bowel loops and colon with some gas, anterior abdomen
  const loops: [Vec3, Vec3][] = t.opts.loops ?? [
    [[-60, -50, -185], [24, 18, 20]],
    [[40, -58, -190], [26, 16, 18]],
    [[-10, -68, -205], [30, 14, 16]],
    [[75, -35, -205], [20, 18, 22]],
  ];
  loops.forEach(([c, r], i) => {
    scene.add("bowel", below(new Blob(c, r, 0.08, 40 + i)));
    scene.add("air", below(new Blob([c[0], c[1] - r[1] * 0.35, c[2]], [r[0] * 0.45, r[1] * 0.35, r[2] * 0.5], 0.1, 50 + i)));
  });
  // psoas muscles appear at T12 and grow caudally
  for (const side of [-1, 1]) {
    scene.add("muscle", new SweptSection((z) => {
      const k = Math.max(0, (-105 - z) / 100);
      const [rx] = t.bodyRadii(z);
      const r = 4 + 14 * Math.min(1, k);
      return { cx: side * (rx + r * 0.8), cy: t.bodyY(z) + 2, rx: r, ry: r * 0.85 };
    }, Z_MIN, -105));
  }
}

export interface SpineHooks {
  /** paints into the epidural space, before the dura (epidural masses) */
  epidural?: (scene: Scene) => void;
  /** paints inside the thecal sac, before the cord (intradural masses) */
  intradural?: (scene: Scene) => void;
  /** override of the cord section at z (displaced / flattened cords) */
  cord?: (z: number, normal: Section) => Section | null;
  /** override of the thecal sac section at z */
  sac?: (z: number, normal: Section) => Section;
}

/** Vertebrae (bodies, discs, pedicles, laminae, processes), canal, dura, CSF and cord. */
export function addSpine(scene: Scene, t: Trunk, hooks: SpineHooks = {}): void {
  const ct = t.cortex;
  const bodySec = (z: number, inset: number): Section => {
    const [rx, ry] = t.bodyRadii(z);
    return { cx: 0, cy: t.bodyY(z), rx: rx - inset, ry: ry - inset };
  };
  // foramina and epidural fat lateral to the canal (pedicles paint over them at their levels)
  scene.add("fat", new SweptSection((z) => {
    const c = t.canal(z);
    return { ...c, rx: c.rx + 10, ry: c.ry - 1 };
  }, Z_MIN, Z_MAX));
  scene.add("disc", new SweptSection((z) => bodySec(z, 0.3), Z_MIN, Z_MAX, 2.3));
  for (const level of LEVELS) {
    const zc = t.levelZ(level);
    const idx = LEVELS.indexOf(level);
    const next = LEVELS[idx + 1];
    const prev = LEVELS[idx - 1];
    const zTop = prev ? (t.levelZ(prev) + zc) / 2 : zc + 13;
    const zBot = next ? (t.levelZ(next) + zc) / 2 : zc - 13;
    const h0 = zBot + t.discHalf(zc);
    const h1 = zTop - t.discHalf(zc);
    scene.add("cortex", new SweptSection((z) => bodySec(z, 0), h0, h1, 2.3));
    scene.add("marrow", new SweptSection((z) => bodySec(z, ct), h0 + ct, h1 - ct, 2.3));
    const c = t.canal(zc);
    const [rx, ry] = t.bodyRadii(zc);
    const yb = t.bodyY(zc);
    for (const side of [-1, 1]) {
      // pedicle: short bar from the body to the canal side, upper part of the level
      const ped = (inset: number) => tube(side * (c.rx + 3.2), c.cy - 1, 3.6 - inset, c.ry + 1.5 - inset, zc - 3 + inset, zc + 8 - inset, 2.4);
      scene.add("cortex", ped(0));
      scene.add("marrow", ped(ct));
      // lamina: slanted plate roofing the canal
      const lamA: Vec3 = [side * (c.rx + 3), c.cy + 4, zc];
      const lamB: Vec3 = [side * 2, c.cy + c.ry + 3, zc - 3];
      for (const dz of [-6, 0, 6]) {
        scene.add("cortex", new Capsule([lamA[0], lamA[1], lamA[2] + dz], [lamB[0], lamB[1], lamB[2] + dz], 3.6));
      }
      for (const dz of [-6, 0, 6]) {
        scene.add("marrow", new Capsule([lamA[0], lamA[1], lamA[2] + dz], [lamB[0], lamB[1], lamB[2] + dz], 3.6 - ct));
      }
      // transverse process towards the rib tubercle
      const tpA: Vec3 = [side * (c.rx + 3), c.cy + 2, zc + 3];
      const tpB: Vec3 = [side * 31, c.cy + 10, zc + 2];
      scene.add("cortex", new Capsule(tpA, tpB, 5, 4.5));
      scene.add("marrow", new Capsule(tpA, tpB, 5 - ct, 4.5 - ct));
      // superior/inferior articular facets
      scene.add("cortex", new Capsule([side * (c.rx + 4), c.cy + 5, zc + 9], [side * (c.rx + 4), c.cy + 6, zc - 11], 3.4));
    }
    // spinous process sloping down and back (steeper in the thoracic spine)
    const slope = idx < 12 ? 22 : 6;
    const spA: Vec3 = [0, c.cy + c.ry + 3, zc - 3];
    const spB: Vec3 = [0, c.cy + c.ry + 34, zc - 3 - slope];
    scene.add("cortex", new Capsule(spA, spB, 5, 3.8));
    scene.add("marrow", new Capsule(spA, spB, 5 - ct, 3.8 - ct));
    // costovertebral joint region: rib head contact at the posterolateral body
    void rx;
    void ry;
    void yb;
  }
  // canal: epidural fat, dura, CSF, cord
  scene.add("fat", new SweptSection((z) => t.canal(z), Z_MIN, Z_MAX));
  hooks.epidural?.(scene);
  const sacNormal = (z: number): Section => t.sac(z);
  const sac = (z: number) => (hooks.sac ? hooks.sac(z, sacNormal(z)) : sacNormal(z));
  scene.add("dura", new SweptSection(sac, Z_MIN, Z_MAX));
  scene.add("csf", new SweptSection((z) => {
    const s = sac(z);
    return { ...s, rx: s.rx - 1, ry: s.ry - 1 };
  }, Z_MIN, Z_MAX));
  hooks.intradural?.(scene);
  const coneZ = t.levelZ("L1") - 10;
  const cordNormal = (z: number): Section | null => {
    const s = sacNormal(z);
    const taper = z < coneZ + 30 ? Math.max(0, (z - coneZ) / 30) : 1;
    if (taper <= 0) return null;
    return { cx: 0, cy: s.cy - 0.8, rx: 4.4 * Math.sqrt(taper), ry: 3.3 * Math.sqrt(taper) };
  };
  scene.add("cord", new SweptSection((z) => {
    const n = cordNormal(z);
    if (!n) return null;
    return hooks.cord ? hooks.cord(z, n) : n;
  }, Z_MIN, Z_MAX));
}

/** Ribs with costal cartilages, and the sternum. */
export function addRibs(scene: Scene, t: Trunk): void {
  const ct = t.cortex;
  const s = t.ribScale;
  for (let n = 1; n <= 12; n++) {
    const level = LEVELS[n - 1] as Level;
    const z0 = t.levelZ(level) + 7;
    const small = Math.max(0, 6 - n);
    const a = 132 - small * 11;
    const b = 86 - small * 6;
    const cy = 10;
    const phi0 = 0.42;
    const tubY = t.canal(z0).cy + 10;
    const startRadius = (tubY - cy) / Math.cos(phi0);
    const phi1 = n <= 7 ? 2.6 : n <= 10 ? 2.35 - (n - 8) * 0.1 : n === 11 ? 1.7 : 1.25;
    const drop = 30 + Math.min(n, 8) * 1.6;
    const halfThick = 3.6 * s;
    const halfHeight = 6.2 * Math.sqrt(s);
    for (const side of [-1, 1] as const) {
      const base = { side, cx: 0, cy, a, b, z0, phi0, phi1, drop, startRadius, blend: 0.7 };
      scene.add("cortex", new Rib({ ...base, halfThick, halfHeight }));
      scene.add("marrow", new Rib({ ...base, halfThick: halfThick - ct * 0.8, halfHeight: halfHeight - ct * 0.8 }));
      // rib neck to the vertebral body (costovertebral joint)
      const [rx] = t.bodyRadii(z0);
      const tub: Vec3 = [side * Math.sin(phi0) * startRadius, tubY, z0];
      const head: Vec3 = [side * (rx - 1), t.bodyY(z0) + 6, z0 + 1];
      scene.add("cortex", new Capsule(head, tub, 4.2 * Math.sqrt(s)));
      scene.add("marrow", new Capsule(head, tub, 4.2 * Math.sqrt(s) - ct));
      if (n <= 10) {
        const zc = z0 - drop * (phi1 - phi0);
        scene.add("cartilage", new Rib({ side, cx: 0, cy, a, b, z0: zc, phi0: phi1, phi1: 2.98, drop: n <= 7 ? 10 : -25, startRadius: 1 / Math.sqrt((Math.sin(phi1) / a) ** 2 + (Math.cos(phi1) / b) ** 2), blend: 0.01, halfThick: 3.4, halfHeight: 5.5 }));
      }
    }
  }
  const stern = (inset: number) => tube(0, -73, 15 - inset, 6 - inset, -65 + inset, 185 - inset, 2.6);
  scene.add("cortex", stern(0));
  scene.add("marrow", stern(1.3));
}

export interface TrunkSceneParts {
  /** lesions painted over soft tissues but under the bones (bones stay intact) */
  beforeBones?: (scene: Scene) => void;
  /** repaint the descending aorta over the `beforeBones` lesions (masses beside it displace it) */
  keepAorta?: boolean;
  spine?: SpineHooks;
  /** lesions painted over everything (they destroy bone where they overlap) */
  afterBones?: (scene: Scene) => void;
}

/** Full trunk scene in painting order, with the case's lesions slotted in. */
export function buildTrunkScene(scene: Scene, t: Trunk, parts: TrunkSceneParts = {}): Scene {
  addBodyWall(scene, t);
  addThoraxOrgans(scene, t);
  addAbdomenOrgans(scene, t);
  parts.beforeBones?.(scene);
  if (parts.keepAorta) {
    // left paravertebral masses push against the descending aorta, they do not replace it: it
    // keeps its lumen and a thin fat plane on its posterior (mass) side
    scene.add("fat", new Clipped(new SweptSection((z) => {
      const a = t.aorta(z);
      return { ...a, rx: a.rx + 1.6, ry: a.ry + 1.6 };
    }, Z_MIN, 112), (_x, y, z) => y > t.aorta(z).cy - 2));
    scene.add("blood", new SweptSection((z) => t.aorta(z), Z_MIN, 112));
  }
  addSpine(scene, t, parts.spine);
  addRibs(scene, t);
  parts.afterBones?.(scene);
  return scene;
}
