import { createHmac } from "node:crypto";

/**
 * Consistent UID remapping for de-identification.
 *
 * A new UID is "2.25." followed by the decimal value of the first 128 bits of
 * HMAC-SHA256(salt, source UID) (PS3.5 B.2: a UID derived from a UUID-sized integer under the
 * 2.25 root needs no registered organisation root). Being a keyed hash, it is:
 * - consistent: the same source UID always maps to the same new UID for one installation salt,
 *   so images uploaded separately still land in the same study and series;
 * - one-way: without the salt nobody can test a guessed source UID against the output.
 */

const WELL_KNOWN_ROOT = "1.2.840.10008.";

/**
 * HMAC-SHA256 of `message` under `salt`, as raw bytes. The one keyed hash behind remapped UIDs,
 * pseudonymous patient IDs and per-patient date shifts, with a domain label so they never collide.
 */
export function keyedHash(salt: string, domain: string, message: string): Buffer {
  return createHmac("sha256", salt).update(domain).update("\u0000").update(message).digest();
}

/** True for UIDs the DICOM standard itself defines (SOP classes, transfer syntaxes, well-known frames of reference). */
export function isWellKnownUid(uid: string): boolean {
  return uid.startsWith(WELL_KNOWN_ROOT);
}

/**
 * Maps one source UID to its replacement: "2.25." + decimal of the first 128 bits of
 * HMAC-SHA256(salt, uid). Trailing NUL/space padding is ignored so padded and unpadded
 * spellings of one UID agree. Standard UIDs (1.2.840.10008.*) are returned unchanged.
 */
export function remapUid(uid: string, salt: string): string {
  const clean = uid.replace(/[\u0000 ]+$/u, "").trim();
  if (isWellKnownUid(clean)) return clean;
  const digest = createHmac("sha256", salt).update(clean).digest();
  const value = BigInt(`0x${digest.subarray(0, 16).toString("hex")}`);
  return `2.25.${value.toString(10)}`;
}

/**
 * A UID for a new object derived from existing ones (a blanked copy of an image, say): "2.25." + decimal of the
 * first 128 bits of the keyed hash of `message` under `domain`. Deterministic, so doing the same derivation twice
 * names the result the same way, and one-way like {@link remapUid}.
 */
export function deriveUid(salt: string, domain: string, message: string): string {
  const value = BigInt(`0x${keyedHash(salt, domain, message).subarray(0, 16).toString("hex")}`);
  return `2.25.${value.toString(10)}`;
}

/**
 * Remaps UIDs for one data set under one salt, remembering each distinct source UID so the
 * report can say how many were replaced. The mapping itself is stateless (see {@link remapUid}).
 */
export class UidMap {
  private readonly seen = new Map<string, string>();

  constructor(private readonly salt: string) {
    if (salt.length === 0) throw new Error("UidMap needs a non-empty installation salt");
  }

  /** The replacement for `uid` (cached). */
  map(uid: string): string {
    const cached = this.seen.get(uid);
    if (cached !== undefined) return cached;
    const mapped = remapUid(uid, this.salt);
    if (isWellKnownUid(mapped)) return mapped;
    this.seen.set(uid, mapped);
    return mapped;
  }

  /** How many distinct source UIDs were replaced (standard UIDs pass through uncounted). */
  get size(): number {
    return this.seen.size;
  }
}
