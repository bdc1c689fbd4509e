import fsp from "node:fs/promises";
import path from "node:path";
import dicomParser from "dicom-parser";
import { zipBytes } from "./upload-support";

/** Mutated real DICOM files and hostile zips for the upload fuzz test (deterministic for a seed). */

export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Seed = { name: string; bytes: Uint8Array; elements: { dataOffset: number; length: number }[] };

export async function loadSeeds(): Promise<Seed[]> {
  const seeds: Seed[] = [];
  for (const dir of ["tests/fixtures/dicom", "tests/fixtures/deid"]) {
    for (const name of (await fsp.readdir(dir)).filter((n) => n.endsWith(".dcm")).sort()) {
      const bytes = new Uint8Array(await fsp.readFile(path.join(dir, name)));
      let elements: Seed["elements"] = [];
      try {
        const ds = dicomParser.parseDicom(bytes, { untilTag: "x7fe00010" });
        elements = Object.values(ds.elements).map((e) => ({ dataOffset: e.dataOffset, length: e.length }));
      } catch {
        elements = []; // deflated: no element map, other mutations still apply
      }
      seeds.push({ name: `${path.basename(dir)}/${name}`, bytes, elements });
    }
  }
  return seeds;
}

const VRS = ["SQ", "OB", "OW", "UN", "US", "UL", "FD", "DS", "UI", "XX", "\u0000\u0000"];

export function mutate(seed: Seed, all: Seed[], rand: () => number): { kind: string; bytes: Uint8Array } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const copy = seed.bytes.slice();
  const kind = pick(["truncate", "bitflip", "length", "vr", "garbage", "splice", "intact"] as const);
  switch (kind) {
    case "truncate":
      return { kind, bytes: copy.subarray(0, Math.floor(rand() * copy.length)) };
    case "bitflip": {
      const flips = 1 + Math.floor(rand() * 16);
      // Mostly in the header, where flips change structure rather than pixel values.
      const headerEnd = Math.min(copy.length, Math.max(200, ...seed.elements.map((e) => e.dataOffset)));
      for (let i = 0; i < flips; i++) {
        const at = rand() < 0.8 ? Math.floor(rand() * headerEnd) : Math.floor(rand() * copy.length);
        copy[at]! ^= 1 << Math.floor(rand() * 8);
      }
      return { kind, bytes: copy };
    }
    case "length": {
      const element = seed.elements.length ? pick(seed.elements) : { dataOffset: 140, length: 0 };
      const view = new DataView(copy.buffer);
      const absurd = pick([0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, copy.length * 3, Math.floor(rand() * 0xffffffff)]);
      if (rand() < 0.5 && element.dataOffset >= 4) view.setUint32(element.dataOffset - 4, absurd >>> 0, true);
      else if (element.dataOffset >= 2) view.setUint16(element.dataOffset - 2, absurd & 0xffff, true);
      return { kind, bytes: copy };
    }
    case "vr": {
      const element = seed.elements.length ? pick(seed.elements) : { dataOffset: 150, length: 0 };
      const vr = pick(VRS);
      // Explicit VR short form: tag(4) VR(2) length(2); long form: tag(4) VR(2) 00 00 length(4).
      const at = element.dataOffset - (rand() < 0.5 ? 4 : 8);
      if (at >= 0) copy.set([vr.charCodeAt(0), vr.charCodeAt(1)], at);
      return { kind, bytes: copy };
    }
    case "garbage": {
      const out = new Uint8Array(Math.floor(rand() * 4096));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
      if (out.length > 132 && rand() < 0.6) out.set([0x44, 0x49, 0x43, 0x4d], 128);
      if (out.length > 140 && rand() < 0.5) out.set(seed.bytes.subarray(128, Math.min(seed.bytes.length, out.length, 128 + Math.floor(rand() * 400))), 128);
      return { kind, bytes: out };
    }
    case "splice": {
      const other = pick(all).bytes;
      const cut = Math.floor(rand() * copy.length);
      const from = Math.floor(rand() * other.length);
      const out = new Uint8Array(cut + other.length - from);
      out.set(copy.subarray(0, cut));
      out.set(other.subarray(from), cut);
      return { kind, bytes: out };
    }
    default:
      return { kind, bytes: copy };
  }
}

export async function hostileZip(seed: Seed, all: Seed[], rand: () => number): Promise<{ kind: string; bytes: Uint8Array }> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const kind = pick(["zip-traversal", "zip-absolute", "zip-bomb", "zip-symlink", "zip-mutated", "zip-truncated", "zip-corrupt"] as const);
  switch (kind) {
    case "zip-traversal":
      return { kind, bytes: await zipBytes([["ok.dcm", seed.bytes], [pick(["../evil.dcm", "a/../../evil.dcm", "../../../../tmp/evil.dcm"]), seed.bytes]]) };
    case "zip-absolute":
      return { kind, bytes: await zipBytes([["/tmp/evil.dcm", seed.bytes]]) };
    case "zip-bomb":
      return { kind, bytes: await zipBytes([["zeros.dcm", new Uint8Array(1024 * 1024 * (1 + Math.floor(rand() * 4)))]]) };
    case "zip-symlink":
      return { kind, bytes: await zipBytes([["link.dcm", new TextEncoder().encode("/etc/passwd")]], { symlinks: ["link.dcm"] }) };
    case "zip-mutated":
      return { kind, bytes: await zipBytes([0, 1, 2].map((i) => [`in/${i}.dcm`, mutate(pick(all), all, rand).bytes] as [string, Uint8Array])) };
    case "zip-truncated": {
      const zip = await zipBytes([["a.dcm", seed.bytes]]);
      return { kind, bytes: zip.subarray(0, Math.floor(rand() * zip.length)) };
    }
    default: {
      const zip = await zipBytes([["a.dcm", seed.bytes], ["b.dcm", pick(all).bytes]]);
      for (let i = 0; i < 8; i++) zip[Math.floor(rand() * zip.length)]! ^= 0xff;
      return { kind, bytes: zip };
    }
  }
}

