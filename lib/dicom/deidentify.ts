import dcmjs, { type DicomDataset, type DicomElement, type ReadBufferStream } from "dcmjs";
import { z } from "zod";
import {
  ALLOW_LIST,
  type AllowEntry,
  BURNED_IN_MODALITIES,
  BURNED_IN_SOP_CLASSES,
  DEID_METHOD_CODES,
  REQUIRED_TYPE2,
} from "./deid-profile";
import { DicomInvalidError } from "./instance-meta";
import { UidMap, keyedHash, remapUid } from "./uid-map";

/**
 * DICOM de-identification (PS3.15 Basic Application Level Confidentiality Profile, applied as an
 * allow-list). Runs on every upload and bundle import before anything is stored.
 *
 * Works on dcmjs's "dict" form: elements keyed by "GGGGEEEE" upper-case hex, each
 * `{ vr, Value: [...] }`, sequences holding item dicts in Value. That is what
 * `dcmjs.data.DicomMessage.readFile(buffer).dict` returns and what `DicomDict.write()` takes.
 */

const SYNTAX = {
  implicitLittle: "1.2.840.10008.1.2",
  explicitLittle: "1.2.840.10008.1.2.1",
  deflated: "1.2.840.10008.1.2.1.99",
  explicitBig: "1.2.840.10008.1.2.2",
} as const;

const TAG = {
  specificCharacterSet: "00080005",
  sopClassUid: "00080016",
  sopInstanceUid: "00080018",
  studyDate: "00080020",
  seriesDate: "00080021",
  acquisitionDate: "00080022",
  contentDate: "00080023",
  modality: "00080060",
  patientName: "00100010",
  patientId: "00100020",
  patientBirthDate: "00100030",
  patientAge: "00101010",
  identityRemoved: "00120062",
  deidMethod: "00120063",
  deidMethodCodes: "00120064",
  studyInstanceUid: "0020000D",
  bitsAllocated: "00280100",
  burnedIn: "00280301",
  recognizableFeatures: "00280302",
  temporalModified: "00280303",
  pixelData: "7FE00010",
  transferSyntax: "00020010",
  mediaSopClass: "00020002",
  mediaSopInstance: "00020003",
} as const;

/** The fixed synthetic name every de-identified patient gets. */
export const ANONYMOUS_PATIENT_NAME = "Casebook^Anonymous";

const IMPLEMENTATION_VERSION_NAME = "CASEBOOK_DEID_1";
// A constant 2.25 UID for Casebook as the writing implementation (PS3.7 D.3.3.2), derived once.
const IMPLEMENTATION_CLASS_UID = remapUid("casebook-implementation-class", "casebook");

/** Options for {@link deidentify}, validated with zod because they may come from configuration. */
export const deidOptionsSchema = z.object({
  /** Installation secret: keys UID remapping, pseudonymous patient IDs and derived date shifts. */
  uidSalt: z.string().min(8, "uidSalt must be a secret of at least 8 characters"),
  /** Days to add to every date of this patient. When absent, derived from a keyed hash of PatientID. */
  dateShiftDays: z.number().int().min(-36_500).max(36_500).optional(),
  /** Remove dates instead of shifting them (dates are emptied, times kept). */
  removeDates: z.boolean().optional(),
  /** Keep study/series descriptions, image comments and protocol names (the educator reviewed them). */
  keepDescriptions: z.boolean().optional(),
});
export type DeidOptions = z.input<typeof deidOptionsSchema>;

/** An attribute the report mentions; `path` names nested ones, e.g. "ReferencedImageSequence[0].ReferencedSOPInstanceUID". */
export interface DeidAttribute {
  path: string;
  tag: string;
  keyword: string;
}

/** What happened to an attribute that stayed in the output with a new value. */
export interface DeidReplacement extends DeidAttribute {
  action: "replaced" | "emptied" | "uid" | "shifted" | "added";
}

/** A description that may give the diagnosis away, with its original text for the educator. */
export interface ReviewDescription extends DeidAttribute {
  value: string;
  /** False when the caller asked to keep descriptions and it is still in the output. */
  removed: boolean;
}

/**
 * What de-identification did. `reviewDescriptions` holds original, possibly identifying text:
 * show it to the educator, never store it.
 */
export interface DeidReport {
  removed: DeidAttribute[];
  replaced: DeidReplacement[];
  /** Distinct source UIDs replaced. */
  uidMappings: number;
  reviewDescriptions: ReviewDescription[];
  /** True when the pixels may carry burned-in identifying text: hold the file for review. */
  burnedInRisk: boolean;
  burnedInReason: string | null;
  /** "<1", "1-9", "10-19" ... "80-89", "90+", or null when no age could be found. */
  patientAgeBucket: string | null;
  /** Days added to every date, or null when dates were removed. */
  dateShiftDays: number | null;
  /** The DeidentificationMethod values written, joined with "; ". */
  method: string;
  /** The PS3.16 CID 7050 codes written to DeidentificationMethodCodeSequence. */
  methodCodes: Array<{ value: string; meaning: string }>;
}

/** The de-identified data set and the report. */
export interface DeidResult {
  dict: DicomDataset;
  report: DeidReport;
}

interface WalkContext {
  uids: UidMap;
  shiftDays: number | null;
  keepDescriptions: boolean;
  pseudonymId: string;
  removed: DeidAttribute[];
  replaced: DeidReplacement[];
  review: ReviewDescription[];
}

/**
 * De-identifies a dcmjs dict. Pure: the input is not modified; kept elements (and the pixel data)
 * are shared by reference with the input rather than copied.
 *
 * Only attributes on the allow-list in `deid-profile.ts` survive, at every nesting level; private
 * attributes, overlays, curves and everything unknown are removed. UIDs are remapped with a keyed
 * hash (same source UID -> same new UID for one salt), dates shifted by a per-patient offset,
 * the patient renamed to {@link ANONYMOUS_PATIENT_NAME} with a keyed-hash PatientID, the age
 * reduced to a bucket in the report, and PatientIdentityRemoved / DeidentificationMethod /
 * DeidentificationMethodCodeSequence written.
 *
 * @throws z.ZodError when the options are invalid (e.g. a missing or short salt).
 */
export function deidentify(dict: DicomDataset, options: DeidOptions): DeidResult {
  const opts = deidOptionsSchema.parse(options);
  const patientKey = patientKeyOf(dict);
  const shiftDays = opts.removeDates ? null : (opts.dateShiftDays ?? deriveDateShift(opts.uidSalt, patientKey));
  const ctx: WalkContext = {
    uids: new UidMap(opts.uidSalt),
    shiftDays,
    keepDescriptions: opts.keepDescriptions ?? false,
    pseudonymId: pseudonymousPatientId(opts.uidSalt, patientKey),
    removed: [],
    replaced: [],
    review: [],
  };

  const burnedIn = burnedInReasons(dict);
  const patientAgeBucket = ageBucketOf(dict);
  const out = walkDataset(dict, ctx, "");

  for (const [tag, vr] of REQUIRED_TYPE2) {
    if (out[tag] === undefined) {
      out[tag] = { vr, Value: [] };
      ctx.replaced.push({ ...describe(tag, ""), action: "added" });
    }
  }
  if (out[TAG.patientName] === undefined) {
    out[TAG.patientName] = { vr: "PN", Value: [{ Alphabetic: ANONYMOUS_PATIENT_NAME }] };
    ctx.replaced.push({ ...describe(TAG.patientName, ""), action: "added" });
  }
  if (out[TAG.patientId] === undefined) {
    out[TAG.patientId] = { vr: "LO", Value: [ctx.pseudonymId] };
    ctx.replaced.push({ ...describe(TAG.patientId, ""), action: "added" });
  }

  // dcmjs decodes every string to JavaScript text and the writer encodes it as UTF-8: say so.
  out[TAG.specificCharacterSet] = { vr: "CS", Value: ["ISO_IR 192"] };
  const { values: methodValues, codes } = methodOf(shiftDays, ctx.keepDescriptions);
  out[TAG.identityRemoved] = { vr: "CS", Value: ["YES"] };
  out[TAG.deidMethod] = { vr: "LO", Value: methodValues };
  out[TAG.deidMethodCodes] = {
    vr: "SQ",
    Value: codes.map((code) => ({
      "00080100": { vr: "SH", Value: [code.value] },
      "00080102": { vr: "SH", Value: ["DCM"] },
      "00080104": { vr: "LO", Value: [code.meaning] },
    })),
  };
  out[TAG.temporalModified] = {
    vr: "CS",
    Value: [shiftDays === null ? "REMOVED" : shiftDays === 0 ? "UNMODIFIED" : "MODIFIED"],
  };

  return {
    dict: out,
    report: {
      removed: ctx.removed,
      replaced: ctx.replaced,
      uidMappings: ctx.uids.size,
      reviewDescriptions: ctx.review,
      burnedInRisk: burnedIn.length > 0,
      burnedInReason: burnedIn.length > 0 ? burnedIn.join("; ") : null,
      patientAgeBucket,
      dateShiftDays: shiftDays,
      method: methodValues.join("; "),
      methodCodes: codes.map((code) => ({ value: code.value, meaning: code.meaning })),
    },
  };
}

/**
 * Reads a DICOM Part 10 file, de-identifies it and writes it back. The output is Explicit VR
 * Little Endian, or the source transfer syntax when that is compressed (a separate normaliser
 * decodes later). The preamble and file meta information are rebuilt from scratch.
 * (The bytes of {@link deidentifyPart10Parts} joined into one array.)
 *
 * @throws DicomInvalidError when the bytes are not a Part 10 file or the data set is truncated or corrupt.
 * @throws z.ZodError when the options are invalid.
 */
export function deidentifyPart10(bytes: Uint8Array, options: DeidOptions): { bytes: Uint8Array; report: DeidReport } {
  const { parts, size, report } = deidentifyPart10Parts(bytes, options);
  if (parts.length === 1) return { bytes: parts[0]!, report };
  const output = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.byteLength;
  }
  return { bytes: output, report };
}

/** The de-identified file as a list of byte ranges to write in order (the new header, then the PixelData element). */
export interface DeidParts {
  parts: Uint8Array[];
  /** Bytes in all parts. */
  size: number;
  report: DeidReport;
  /**
   * Where the PixelData value sits in the input: the output past the new header is that value copied through
   * (byte-swapped for big endian) behind an element header that depends only on the bytes before it. Null
   * without PixelData, or when the data set was deflated (the offsets would be in the inflated data).
   */
  pixelRange: { start: number; end: number } | null;
}

/**
 * {@link deidentifyPart10} without joining the output: the new header and the PixelData element's bytes (views
 * of the input, which must not change while the parts are in use), so 500 KB of pixels are written through
 * rather than copied.
 *
 * Pixel data is never decoded: the data set is parsed with dcmjs's reader (DicomMessage._read, the
 * engine behind readFile) only up to PixelData, and the PixelData
 * element's bytes are spliced into the output unchanged (for compressed and explicit little endian
 * sources the whole element, fragments and offset table included, is byte-identical; implicit VR
 * sources get a new 12-byte explicit header in front of identical value bytes; big endian
 * sources are the one case where words are swapped).
 *
 * @throws DicomInvalidError when the bytes are not a Part 10 file or the data set is truncated or corrupt.
 * @throws z.ZodError when the options are invalid.
 */
export function deidentifyPart10Parts(bytes: Uint8Array, options: DeidOptions): DeidParts {
  if (bytes.byteLength < 132 || ascii(bytes, 128, 4) !== "DICM") {
    throw new DicomInvalidError("not a DICOM Part 10 file (no DICM prefix)");
  }
  const { meta, dataset, pixel, source, readSyntax, sourceSyntax } = readUpToPixels(bytes);

  // The media storage instance UID may be the only copy of the SOP instance UID.
  const sourceInstanceUid = firstString(meta[TAG.mediaSopInstance]);
  if (dataset[TAG.sopInstanceUid] === undefined && sourceInstanceUid) {
    dataset[TAG.sopInstanceUid] = { vr: "UI", Value: [sourceInstanceUid] };
  }

  const { dict, report } = deidentify(dataset, options);

  const encapsulated = !(Object.values(SYNTAX) as string[]).includes(sourceSyntax);
  const outSyntax = encapsulated ? sourceSyntax : SYNTAX.explicitLittle;
  const sopClass = firstString(dict[TAG.sopClassUid]) ?? firstString(meta[TAG.mediaSopClass]) ?? "";
  const sopInstance = firstString(dict[TAG.sopInstanceUid]) ?? "";
  const outMeta: DicomDataset = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    [TAG.mediaSopClass]: { vr: "UI", Value: [sopClass] },
    [TAG.mediaSopInstance]: { vr: "UI", Value: [sopInstance] },
    [TAG.transferSyntax]: { vr: "UI", Value: [outSyntax] },
    "00020012": { vr: "UI", Value: [IMPLEMENTATION_CLASS_UID] },
    "00020013": { vr: "SH", Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  const head = writePart10Head(outMeta, dict);

  if (pixel === null) return { parts: [head], size: head.byteLength, report, pixelRange: null };
  const tail = pixelElementBytes(source, pixel, readSyntax, dict);
  const parts = [head, ...tail];
  const pixelRange = sourceSyntax === SYNTAX.deflated ? null : { start: pixel.valueStart, end: pixel.end };
  return { parts, size: parts.reduce((sum, part) => sum + part.byteLength, 0), report, pixelRange };
}

/**
 * Parses meta and data set with dcmjs's reader, stopping at the top-level PixelData tag so the
 * pixels are located but never read or copied. (dcmjs's public readFile would copy every frame.)
 */
function readUpToPixels(bytes: Uint8Array) {
  // dcmjs reads from an ArrayBuffer; reuse the caller's when the view covers it (no copy).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
  const view = whole ? bytes : new Uint8Array(buffer);
  try {
    const { meta, dataStream, source, readSyntax, sourceSyntax } = openPart10(buffer, view);
    const dataset = dcmjs.data.DicomMessage._read(dataStream, readSyntax, { untilTag: TAG.pixelData, includeUntilTagValue: false });
    let pixel: PixelElement | null = null;
    if (dataset[TAG.pixelData] !== undefined) {
      delete dataset[TAG.pixelData];
      pixel = locatePixelData(source, dataStream.offset - 4, readSyntax);
      if (pixel.end < dataStream.size) {
        // Anything after PixelData (trailing padding, signatures, private groups) is read only so
        // the report can list it; nothing past PixelData is on the allow-list.
        dataStream.offset = pixel.end;
        const trailing = dcmjs.data.DicomMessage._read(dataStream, readSyntax, { ignoreErrors: true });
        for (const [tag, element] of Object.entries(trailing)) if (tag !== TAG.pixelData) dataset[tag] = element;
      }
    }
    // dcmjs quietly clamps a value cut short by the end of the file, so a header cut off before
    // PixelData reads as a complete data set. An image description without pixels is that case.
    const hasPixels = pixel !== null || dataset["7FE00008"] !== undefined || dataset["7FE00009"] !== undefined;
    if (!hasPixels && (dataset["00280010"] !== undefined || dataset["00280011"] !== undefined)) {
      throw new DicomInvalidError("the file has Rows/Columns but no PixelData (truncated?)");
    }
    return { meta, dataset, pixel, source, readSyntax, sourceSyntax };
  } catch (cause) {
    if (cause instanceof DicomInvalidError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DicomInvalidError(`the DICOM data set could not be read (truncated or corrupt file): ${reason}`, { cause });
  }
}

// ---------------------------------------------------------------------------------------------
// Walking the data set

function walkDataset(dataset: DicomDataset, ctx: WalkContext, prefix: string): DicomDataset {
  const out: DicomDataset = {};
  // Tag order, so the report reads like the file whatever order the caller built the dict in.
  for (const tag of Object.keys(dataset).sort()) {
    const element = dataset[tag];
    if (element === undefined) continue;
    const ref = describe(tag, prefix);
    const found = isPrivateTag(tag) ? undefined : ALLOW_LIST.get(tag);
    // Patient and study identity belongs at the top level; a copy inside an item is dropped, not renamed.
    const rule = found && prefix !== "" && TOP_LEVEL_ACTIONS.has(found.action) ? undefined : found;
    if (rule === undefined) {
      ctx.removed.push(ref);
      continue;
    }
    const kept = applyRule(rule, element, ctx, ref);
    if (kept !== undefined) out[tag] = kept;
  }
  return out;
}

const TOP_LEVEL_ACTIONS: ReadonlySet<AllowEntry["action"]> = new Set(["patient-name", "patient-id", "sex", "empty", "set", "description"]);

function applyRule(rule: AllowEntry, element: DicomElement, ctx: WalkContext, ref: DeidAttribute): DicomElement | undefined {
  switch (rule.action) {
    case "pixel":
      return element;
    case "set":
      // Written by deidentify() itself; the source's copy is dropped.
      return undefined;
    case "keep": {
      // A structured attribute relabelled with a free-text VR (explicit VR lets a file say anything)
      // would slip past the grammar check below, so the VR must be the dictionary's.
      const expected = dcmjs.data.DicomMetaDictionary.dictionary[ref.tag]?.vr;
      const relabelled = expected !== undefined && VR_GRAMMAR[expected] !== undefined && element.vr !== expected;
      if (!relabelled && isValidForVr(element)) return element;
      ctx.removed.push(ref);
      return undefined;
    }
    case "uid": {
      const values = strings(element).map((uid) => ctx.uids.map(uid));
      ctx.replaced.push({ ...ref, action: "uid" });
      return { vr: "UI", Value: values };
    }
    case "date":
    case "datetime": {
      const shifted = shiftTemporal(element, rule.action, ctx.shiftDays);
      if (strings(element).some((value) => value.trim() !== "")) {
        ctx.replaced.push({ ...ref, action: shifted.length > 0 ? "shifted" : "emptied" });
      }
      return { vr: rule.action === "date" ? "DA" : "DT", Value: shifted };
    }
    case "time": {
      const times = strings(element).map(normalizeTime);
      if (times.length > 0 && times.every((time): time is string => time !== null)) {
        return times.every((time, i) => time === strings(element)[i]) ? element : { vr: "TM", Value: times };
      }
      if (times.length > 0) ctx.replaced.push({ ...ref, action: "emptied" });
      return { vr: "TM", Value: [] };
    }
    case "empty":
      ctx.replaced.push({ ...ref, action: "emptied" });
      return { vr: element.vr, Value: [] };
    case "patient-name":
      ctx.replaced.push({ ...ref, action: "replaced" });
      return { vr: "PN", Value: [{ Alphabetic: ANONYMOUS_PATIENT_NAME }] };
    case "patient-id":
      ctx.replaced.push({ ...ref, action: "replaced" });
      return { vr: "LO", Value: [ctx.pseudonymId] };
    case "sex": {
      const sex = (firstString(element) ?? "").trim().toUpperCase();
      if (sex === "M" || sex === "F" || sex === "O") return { vr: "CS", Value: [sex] };
      if (sex !== "") ctx.replaced.push({ ...ref, action: "emptied" });
      return { vr: "CS", Value: [] };
    }
    case "description": {
      const value = strings(element).join("\\").trim();
      if (value !== "") ctx.review.push({ ...ref, value, removed: !ctx.keepDescriptions });
      if (ctx.keepDescriptions) return element;
      ctx.removed.push(ref);
      return undefined;
    }
    case "sequence": {
      const items = Array.isArray(element.Value) ? element.Value : [];
      const walked = items.map((item, index) =>
        isDataset(item) ? walkDataset(item, ctx, `${ref.path}[${index}].`) : ({} as DicomDataset),
      );
      return { vr: "SQ", Value: walked };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Value checks: a kept attribute whose VR has a grammar must follow it, so free text cannot ride
// along in a CS, DS, IS or UI field.

const VR_GRAMMAR: Record<string, RegExp> = {
  CS: /^[A-Z0-9 _]{0,16}$/u,
  DS: /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/u,
  IS: /^ *[+-]?\d{1,12} *$/u,
  UI: /^[0-9.]{0,64}$/u,
  AS: /^\d{3}[DWMY]$/u,
};

function isValidForVr(element: DicomElement): boolean {
  const grammar = VR_GRAMMAR[element.vr];
  const values = Array.isArray(element.Value) ? element.Value : [];
  if (grammar === undefined) return true;
  return values.every((value) => {
    if (typeof value === "number") return Number.isFinite(value);
    if (typeof value === "string") return grammar.test(value.replace(/\u0000+$/u, ""));
    return value === null || value === undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// Dates, times, ages

const DA_PATTERN = /^(\d{4})\.?(\d{2})\.?(\d{2})$/u;
const DT_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{0,6}(?:\.\d{1,6})?)(?:[+-]\d{4})?$/u;

function parseDate(text: string): Date | null {
  const match = DA_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // Reject 20240231 and friends: Date.UTC would roll them over.
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return date;
}

function formatDate(date: Date): string {
  const y = String(date.getUTCFullYear()).padStart(4, "0");
  const m = String(date.getUTCMonth() + 1).padStart(2, "0");
  const d = String(date.getUTCDate()).padStart(2, "0");
  return `${y}${m}${d}`;
}

function shiftDate(text: string, days: number): string | null {
  const date = parseDate(text);
  if (date === null) return null;
  date.setUTCDate(date.getUTCDate() + days);
  return formatDate(date);
}

/** Shifts DA or DT values; returns [] (emptied) when dates are removed or any value is not a date. */
function shiftTemporal(element: DicomElement, kind: "date" | "datetime", days: number | null): string[] {
  if (days === null) return [];
  const values = strings(element);
  const shifted: string[] = [];
  for (const value of values) {
    if (kind === "date") {
      const result = shiftDate(value, days);
      if (result === null) return [];
      shifted.push(result);
    } else {
      // The UTC offset goes: together with the institution it narrows down where the patient was.
      const match = DT_PATTERN.exec(value.trim());
      const date = match ? shiftDate(`${match[1]}${match[2]}${match[3]}`, days) : null;
      if (!match || date === null) return [];
      shifted.push(`${date}${match[4] ?? ""}`);
    }
  }
  return shifted;
}

/** A TM value in canonical form ("09:11:56" -> "091156"), or null when it is not a time. */
function normalizeTime(text: string): string | null {
  const compact = text.trim().replace(/:/gu, "");
  return /^([01]\d|2[0-3])([0-5]\d([0-5]\d(\.\d{1,6})?)?)?$/u.test(compact) ? compact : null;
}

function ageInYears(text: string): number | null {
  const match = /^(\d{3})([DWMY])$/u.exec(text.trim());
  if (!match) return null;
  const count = Number(match[1]);
  const perYear = { D: 365.25, W: 52.18, M: 12, Y: 1 }[match[2] as "D" | "W" | "M" | "Y"];
  return count / perYear;
}

/** The decade bucket for an age in years: "<1", "1-9", "10-19" ... "80-89", "90+". */
export function ageBucket(years: number): string {
  if (years < 1) return "<1";
  if (years >= 90) return "90+";
  const low = Math.floor(years / 10) * 10;
  return low === 0 ? "1-9" : `${low}-${low + 9}`;
}

function ageBucketOf(dict: DicomDataset): string | null {
  const stated = firstString(dict[TAG.patientAge]);
  const years = stated ? ageInYears(stated) : null;
  if (years !== null) return ageBucket(years);
  const birth = parseDate(firstString(dict[TAG.patientBirthDate]) ?? "");
  const seen = [TAG.studyDate, TAG.seriesDate, TAG.acquisitionDate, TAG.contentDate]
    .map((tag) => parseDate(firstString(dict[tag]) ?? ""))
    .find((date) => date !== null);
  if (!birth || !seen || seen < birth) return null;
  let age = seen.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    seen.getUTCMonth() < birth.getUTCMonth() || (seen.getUTCMonth() === birth.getUTCMonth() && seen.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return ageBucket(age);
}

// ---------------------------------------------------------------------------------------------
// Patient pseudonym and date shift: both keyed by who the patient is, so every file of one
// patient gets the same ID and the same shift, across uploads.

function patientKeyOf(dict: DicomDataset): string {
  const id = (firstString(dict[TAG.patientId]) ?? "").trim();
  if (id !== "") return `id:${id}`;
  const name = personName(dict[TAG.patientName]);
  const birth = (firstString(dict[TAG.patientBirthDate]) ?? "").trim();
  if (name !== "" || birth !== "") return `name:${name}|${birth}`;
  return `study:${(firstString(dict[TAG.studyInstanceUid]) ?? "").trim()}`;
}

function pseudonymousPatientId(salt: string, patientKey: string): string {
  return `CB${keyedHash(salt, "patient-id", patientKey).subarray(0, 8).toString("hex").toUpperCase()}`;
}

/** Between 1 and 10 years back, fixed per patient and installation. */
function deriveDateShift(salt: string, patientKey: string): number {
  return -(366 + (keyedHash(salt, "date-shift", patientKey).readUInt32BE(0) % 3287));
}

function methodOf(shiftDays: number | null, keepDescriptions: boolean) {
  const codes: Array<{ value: string; meaning: string }> = [DEID_METHOD_CODES.basicProfile, DEID_METHOD_CODES.retainPatientCharacteristics];
  const values = ["Casebook allow-list de-identification 1", "PS3.15 Basic Profile; UIDs remapped by keyed hash"];
  if (shiftDays === null) values.push("Dates removed");
  else if (shiftDays === 0) {
    codes.push(DEID_METHOD_CODES.fullDates);
    values.push("Dates retained");
  } else {
    codes.push(DEID_METHOD_CODES.modifiedDates);
    values.push("Dates shifted per patient");
  }
  if (keepDescriptions) values.push("Descriptions kept after educator review");
  return { values, codes };
}

// ---------------------------------------------------------------------------------------------
// Burned-in annotation risk

function burnedInReasons(dict: DicomDataset): string[] {
  const reasons: string[] = [];
  if ((firstString(dict[TAG.burnedIn]) ?? "").trim().toUpperCase() === "YES") reasons.push("BurnedInAnnotation is YES");
  if ((firstString(dict[TAG.recognizableFeatures]) ?? "").trim().toUpperCase() === "YES") {
    reasons.push("RecognizableVisualFeatures is YES");
  }
  const modality = (firstString(dict[TAG.modality]) ?? "").trim().toUpperCase();
  const modalityReason = BURNED_IN_MODALITIES.get(modality);
  if (modalityReason) reasons.push(`Modality ${modality}: ${modalityReason}`);
  const sopClass = (firstString(dict[TAG.sopClassUid]) ?? "").trim();
  const sopMatch = BURNED_IN_SOP_CLASSES.find(([root]) => sopClass === root || sopClass.startsWith(`${root}.`));
  if (sopMatch) reasons.push(`SOP class ${sopMatch[1]} (${sopClass})`);
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// Part 10 reading and PixelData splicing

interface PixelElement {
  /** Offset of the PixelData tag in `source`. */
  start: number;
  valueStart: number;
  /** Offset just past the element (past the sequence delimiter when encapsulated). */
  end: number;
  encapsulated: boolean;
}

function openPart10(buffer: ArrayBuffer, view: Uint8Array) {
  const { ReadBufferStream, DeflatedReadBufferStream, DicomMessage } = dcmjs.data;
  const stream = new ReadBufferStream(buffer, null, { noCopy: true });
  let meta: DicomDataset;
  const hasGroupLength = view.byteLength >= 144 && ascii(view, 132, 4) === "\u0002\u0000\u0000\u0000" && ascii(view, 136, 2) === "UL";
  if (hasGroupLength) {
    const metaLength = new DataView(buffer).getUint32(140, true);
    stream.offset = 144;
    meta = DicomMessage._read(stream.more(metaLength), SYNTAX.explicitLittle);
  } else {
    stream.offset = 132;
    meta = DicomMessage._read(stream, SYNTAX.explicitLittle, { untilTag: "00030000", stopOnGreaterTag: true, ignoreErrors: true });
  }
  const sourceSyntax = (firstString(meta[TAG.transferSyntax]) ?? "").replace(/\u0000/gu, "").trim();
  if (sourceSyntax === "") throw new DicomInvalidError("the file meta information has no TransferSyntaxUID");

  let dataStream: ReadBufferStream = stream;
  let source = view;
  if (sourceSyntax === SYNTAX.deflated) {
    dataStream = new DeflatedReadBufferStream(stream, { noCopy: true });
    source = new Uint8Array(dataStream.slice(0, dataStream.size));
  }
  const readSyntax =
    sourceSyntax === SYNTAX.implicitLittle || sourceSyntax === SYNTAX.explicitBig ? sourceSyntax : SYNTAX.explicitLittle;
  return { meta, dataStream, source, readSyntax, sourceSyntax };
}

const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV"]);

function locatePixelData(source: Uint8Array, start: number, syntax: string): PixelElement {
  const data = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const little = syntax !== SYNTAX.explicitBig;
  let length: number;
  let valueStart: number;
  if (syntax === SYNTAX.implicitLittle) {
    length = data.getUint32(start + 4, true);
    valueStart = start + 8;
  } else if (LONG_VRS.has(ascii(source, start + 4, 2))) {
    length = data.getUint32(start + 8, little);
    valueStart = start + 12;
  } else {
    length = data.getUint16(start + 6, little);
    valueStart = start + 8;
  }
  if (length !== 0xffffffff) {
    const end = valueStart + length;
    if (end > source.byteLength) throw new DicomInvalidError("PixelData runs past the end of the file (truncated)");
    return { start, valueStart, end, encapsulated: false };
  }
  // Encapsulated: items (FFFE,E000) up to the sequence delimiter (FFFE,E0DD).
  let position = valueStart;
  while (position + 8 <= source.byteLength) {
    const group = data.getUint16(position, true);
    const element = data.getUint16(position + 2, true);
    const itemLength = data.getUint32(position + 4, true);
    position += 8;
    if (group === 0xfffe && element === 0xe0dd) return { start, valueStart, end: position, encapsulated: true };
    if (group !== 0xfffe || element !== 0xe000) throw new DicomInvalidError("encapsulated PixelData has an item that is not (FFFE,E000)");
    position += itemLength;
  }
  throw new DicomInvalidError("encapsulated PixelData has no sequence delimiter (truncated)");
}

/** The output bytes for PixelData, in explicit VR little endian, sharing the source bytes when possible. */
function pixelElementBytes(source: Uint8Array, pixel: PixelElement, syntax: string, dict: DicomDataset): Uint8Array[] {
  if (syntax === SYNTAX.explicitLittle) return [source.subarray(pixel.start, pixel.end)];
  if (pixel.encapsulated) throw new DicomInvalidError("encapsulated PixelData in a native transfer syntax");
  const value = source.subarray(pixel.valueStart, pixel.end);
  const bitsAllocated = numberOf(dict[TAG.bitsAllocated]) ?? 16;
  const vr = bitsAllocated > 8 ? "OW" : "OB";
  const header = new Uint8Array(12);
  const headerView = new DataView(header.buffer);
  headerView.setUint16(0, 0x7fe0, true);
  headerView.setUint16(2, 0x0010, true);
  header[4] = vr.charCodeAt(0);
  header[5] = vr.charCodeAt(1);
  headerView.setUint32(8, value.byteLength, true);
  if (syntax === SYNTAX.implicitLittle || vr === "OB") return [header, value];
  // Big endian: the only transform, swapping each 16- or 32-bit word into little endian.
  const width = bitsAllocated === 32 ? 4 : 2;
  const swapped = new Uint8Array(value.byteLength);
  for (let i = 0; i + width <= value.byteLength; i += width) {
    for (let j = 0; j < width; j += 1) swapped[i + j] = value[i + width - 1 - j] ?? 0;
  }
  return [header, swapped];
}

// ---------------------------------------------------------------------------------------------
// Writing. The header data set is written here rather than with dcmjs's DicomDict.write: dcmjs
// allocates a stream object per element and spends ~5 ms on a 100-element header, more than
// everything else in de-identification together. The encoding follows dcmjs's writer exactly
// (undefined-length sequences and items, dcmjs's DS formatting, its rule for reusing the raw
// text it read); a unit test holds the two writers byte-identical on every fixture.

const ENCODED_TEXT_VRS = new Set(["LO", "LT", "PN", "SH", "ST", "UC", "UT"]);
const ASCII_TEXT_VRS = new Set(["AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI", "UR"]);
const NUMBER_VRS: Record<string, { size: number; put: (view: DataView, offset: number, value: number) => void }> = {
  US: { size: 2, put: (v, o, x) => v.setUint16(o, x, true) },
  SS: { size: 2, put: (v, o, x) => v.setInt16(o, x, true) },
  UL: { size: 4, put: (v, o, x) => v.setUint32(o, x, true) },
  SL: { size: 4, put: (v, o, x) => v.setInt32(o, x, true) },
  FL: { size: 4, put: (v, o, x) => v.setFloat32(o, x, true) },
  FD: { size: 8, put: (v, o, x) => v.setFloat64(o, x, true) },
  AT: {
    size: 4,
    put: (v, o, x) => {
      v.setUint16(o, x >>> 16, true);
      v.setUint16(o + 2, x & 0xffff, true);
    },
  },
  UV: { size: 8, put: (v, o, x) => v.setBigUint64(o, BigInt(x), true) },
  SV: { size: 8, put: (v, o, x) => v.setBigInt64(o, BigInt(x), true) },
};
const textEncoder = new TextEncoder();
// VRs with a 16-bit length in explicit VR; every other VR has 2 reserved bytes and a 32-bit length.
const SHORT_LENGTH_VRS = new Set(["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"]);

/** Collects output chunks without copying them until the end. */
class ByteSink {
  readonly parts: Uint8Array[] = [];
  size = 0;
  push(part: Uint8Array): void {
    this.parts.push(part);
    this.size += part.byteLength;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
}

/**
 * Writes preamble, file meta information and a data set as Part 10 Explicit VR Little Endian
 * bytes, the same bytes `new dcmjs.data.DicomDict(meta)` with `dict` would write. PixelData
 * should not be in `dict` (it is spliced in afterwards); anything binary that is gets copied.
 */
export function writePart10Head(meta: DicomDataset, dict: DicomDataset): Uint8Array {
  const metaSink = new ByteSink();
  writeDataset(meta, metaSink);
  const sink = new ByteSink();
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  sink.push(preamble);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaSink.size, true);
  sink.push(elementHeader(0x0002, 0x0000, "UL", 4));
  sink.push(groupLength);
  for (const part of metaSink.parts) sink.push(part);
  writeDataset(dict, sink);
  return sink.concat();
}

function writeDataset(dataset: DicomDataset, sink: ByteSink): void {
  for (const tag of Object.keys(dataset).sort()) {
    const element = dataset[tag];
    if (element !== undefined) writeElement(tag, element, sink);
  }
}

function writeElement(tag: string, element: DicomElement, sink: ByteSink): void {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const number = Number.parseInt(tag.slice(4), 16);
  let vr = element.vr === "ox" ? "OW" : element.vr === "xs" ? "US" : element.vr;
  if (vr === "SQ") {
    sink.push(elementHeader(group, number, "SQ", 0xffffffff));
    for (const item of Array.isArray(element.Value) ? element.Value : []) {
      sink.push(elementHeader(0xfffe, 0xe000, null, 0xffffffff));
      if (isDataset(item)) writeDataset(item, sink);
      sink.push(elementHeader(0xfffe, 0xe00d, null, 0));
    }
    sink.push(elementHeader(0xfffe, 0xe0dd, null, 0));
    return;
  }
  const value = valueBytes(vr, element);
  // A value too long for a 16-bit length is written as UN with a 32-bit one (as dcmjs does).
  if (SHORT_LENGTH_VRS.has(vr) && value.byteLength >= 0x10000) vr = "UN";
  sink.push(elementHeader(group, number, vr, value.byteLength));
  if (value.byteLength > 0) sink.push(value);
}

/** Tag, VR and length; `vr` null for item and delimiter tags, which have no VR. */
function elementHeader(group: number, element: number, vr: string | null, length: number): Uint8Array {
  const long = vr !== null && !SHORT_LENGTH_VRS.has(vr);
  const header = new Uint8Array(long ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, element, true);
  if (vr === null) {
    view.setUint32(4, length, true);
  } else {
    header[4] = vr.charCodeAt(0);
    header[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, length, true);
    else view.setUint16(6, length, true);
  }
  return header;
}

function valueBytes(vr: string, element: DicomElement): Uint8Array {
  const values = Array.isArray(element.Value) ? element.Value : [];
  if (ASCII_TEXT_VRS.has(vr) || ENCODED_TEXT_VRS.has(vr)) {
    const text = textValues(vr, element).join("\\");
    const encoded = ENCODED_TEXT_VRS.has(vr) ? textEncoder.encode(text) : latin1Bytes(text);
    return padEven(encoded, vr === "UI" ? 0x00 : 0x20);
  }
  const number = NUMBER_VRS[vr];
  if (number !== undefined && values.every((value) => typeof value === "number" || typeof value === "bigint")) {
    const bytes = new Uint8Array(number.size * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((value, i) => number.put(view, i * number.size, Number(value)));
    return bytes;
  }
  // OB, OW, OF, OD, OL, OV, UN and anything unrecognised: the raw buffers, padded with a zero.
  const buffers = values.filter((value): value is ArrayBuffer | ArrayBufferView => value instanceof ArrayBuffer || ArrayBuffer.isView(value));
  const parts = buffers.map((value) => (value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)));
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total + (total % 2));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/** The strings to write: dcmjs's raw text when it still matches the value (as dcmjs decides), else the value formatted. */
function textValues(vr: string, element: DicomElement): string[] {
  const values = Array.isArray(element.Value) ? element.Value : [];
  const raw = element._rawValue;
  if (Array.isArray(raw) && raw.length === values.length && raw.every((r, i) => rawMatches(vr, r, values[i]))) {
    return raw.map((r) => String(r));
  }
  return values.map((value) => formatValue(vr, value));
}

function rawMatches(vr: string, raw: unknown, value: unknown): boolean {
  if (typeof raw !== "string") return false;
  if (vr === "DS" || vr === "IS") {
    const cleaned = raw.trim().replace(/[^0-9.\\\-+e]/giu, "");
    const parsed = cleaned === "" ? null : Number(cleaned);
    return parsed === value || (value === null && parsed === null) || (Number.isNaN(parsed) && Number.isNaN(value));
  }
  if (vr === "PN") return pnToString(value) === raw;
  return typeof value === "string" && value === raw;
}

function formatValue(vr: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (vr === "PN") return pnToString(value);
  if (vr === "DS" && typeof value === "number") return decimalString(value);
  return String(value);
}

function pnToString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null) return "";
  const { Alphabetic, Ideographic, Phonetic } = value as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
  return [Alphabetic ?? "", Ideographic ?? "", Phonetic ?? ""].join("=").replace(/=*$/u, "");
}

/** A DS value within 16 characters, the way dcmjs shortens long numbers. */
function decimalString(value: number): string {
  const text = String(value);
  if (text.length <= 16) return text;
  const signChars = value < 0 ? 1 : 0;
  const log = Math.log10(Math.abs(value));
  if (log < -4 || log >= 14 - signChars) {
    const exponential = value.toExponential(16 - signChars);
    return exponential.length <= 16 ? exponential : value.toExponential(16 - (exponential.length - 16) - signChars);
  }
  const fixed = value.toFixed(16 - signChars);
  return fixed.length <= 16 ? fixed : value.toFixed(16 - signChars - (fixed.length - 16));
}

function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.byteLength % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.byteLength + 1);
  padded.set(bytes);
  padded[bytes.byteLength] = pad;
  return padded;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isPrivateTag(tag: string): boolean {
  return Number.parseInt(tag.slice(0, 4), 16) % 2 === 1;
}

function describe(tag: string, prefix: string): DeidAttribute {
  const keyword = keywordOf(tag);
  return { path: `${prefix}${keyword}`, tag: `(${tag.slice(0, 4)},${tag.slice(4)})`, keyword };
}

function keywordOf(tag: string): string {
  if (isPrivateTag(tag)) {
    const element = Number.parseInt(tag.slice(4), 16);
    return element >= 0x10 && element <= 0xff ? `PrivateCreator(${tag})` : `Private(${tag})`;
  }
  const allowed = ALLOW_LIST.get(tag);
  if (allowed) return allowed.keyword;
  if (tag.endsWith("0000")) return `GroupLength(${tag.slice(0, 4)})`;
  const entry = dcmjs.data.DicomMetaDictionary.dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`];
  return entry ? entry.name.replace(/^RETIRED_/u, "") : `Unknown(${tag})`;
}

function isDataset(value: unknown): value is DicomDataset {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer);
}

function strings(element: DicomElement | undefined): string[] {
  const values = element && Array.isArray(element.Value) ? element.Value : [];
  return values.map((value) => {
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(value);
    const alphabetic = typeof value === "object" && value !== null ? (value as { Alphabetic?: unknown }).Alphabetic : undefined;
    if (typeof alphabetic === "string") return alphabetic;
    return "";
  });
}

function firstString(element: DicomElement | undefined): string | undefined {
  return strings(element)[0];
}

function personName(element: DicomElement | undefined): string {
  return strings(element).join("\\").trim();
}

function numberOf(element: DicomElement | undefined): number | undefined {
  const value = element && Array.isArray(element.Value) ? element.Value[0] : undefined;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = "";
  for (let i = offset; i < offset + length && i < bytes.byteLength; i += 1) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}
