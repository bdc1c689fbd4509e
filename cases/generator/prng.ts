/**
 * Small deterministic pseudo-random tools. Everything the generator draws comes from here so the
 * same slug always produces the same bytes (no Math.random, no clocks).
 */

/** 32-bit FNV-1a hash of a string, mixed with a seed (used to derive per-slice seeds and UIDs). */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so nearby strings give unrelated values
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: returns a function yielding uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GAUSS_BITS = 16;
const GAUSS_SIZE = 1 << GAUSS_BITS;
let gaussTable: Float32Array | undefined;

/** A fixed table of standard-normal samples (Box-Muller from a fixed seed), shared by all noise. */
function getGaussTable(): Float32Array {
  if (gaussTable) return gaussTable;
  const table = new Float32Array(GAUSS_SIZE);
  const rnd = mulberry32(0x5eed);
  for (let i = 0; i < GAUSS_SIZE; i += 2) {
    const u1 = Math.max(rnd(), 1e-12);
    const u2 = rnd();
    const r = Math.sqrt(-2 * Math.log(u1));
    table[i] = r * Math.cos(2 * Math.PI * u2);
    table[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  gaussTable = table;
  return table;
}

/**
 * Fills `out` with standard-normal noise for one image. A table lookup driven by a xorshift
 * stream is an order of magnitude faster than Box-Muller per pixel and statistically plenty for
 * image noise.
 */
export function fillGaussian(out: Float32Array, seed: number): void {
  const table = getGaussTable();
  let x = seed >>> 0 || 0x9e3779b9;
  const mask = GAUSS_SIZE - 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // two lookups summed and scaled keep the distribution normal while hiding table periodicity
    out[i] = ((table[x & mask] as number) + (table[(x >>> 16) & mask] as number)) * Math.SQRT1_2;
  }
}

/**
 * Deterministic DICOM UID under the UUID-derived root "2.25": the decimal form of a 128-bit value
 * built from four hashes of `key`. Always <= 64 characters and without leading zeros.
 */
export function deterministicUid(key: string): string {
  let value = 0n;
  for (let i = 0; i < 4; i++) value = (value << 32n) | BigInt(hash32(key, 0x1000 + i * 7919));
  // keep it non-zero and within 128 bits
  value = value === 0n ? 1n : value;
  return `2.25.${value.toString()}`;
}
