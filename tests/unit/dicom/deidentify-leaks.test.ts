import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import dcmjs, { type DicomDataset, type DicomElement } from "dcmjs";
import { afterAll, describe, expect, it } from "vitest";
import { ALLOW_LIST, PS315_BASIC_PROFILE } from "@/lib/dicom/deid-profile";
import { deidentifyPart10 } from "@/lib/dicom/deidentify";

// Injects a unique marker into every attribute PS3.15's Basic Profile names (plus private
// attributes and nested sequences) of real files, de-identifies them, and looks for any marker
// in the output bytes and in the re-parsed data set.

const fixtures = new URL("../../fixtures/deid/", import.meta.url);
const SALT = "leak-test-salt-0001";

interface Marker {
  text: string;
  where: string;
}

class Injector {
  readonly markers: Marker[] = [];
  readonly skipped: string[] = [];
  /** Top-level numeric attributes (US, FL...) that cannot hold a marker: checked by absence instead. */
  readonly numeric: string[] = [];
  private count = 0;

  /** A unique text marker; every few get non-ASCII letters so both UTF-8 and Latin-1 searches matter. */
  text(where: string): string {
    this.count += 1;
    const id = String(this.count).padStart(4, "0");
    const text = this.count % 5 === 0 ? `QZ${id}ÆØÅX` : `QZ${id}X`;
    this.markers.push({ text, where });
    return text;
  }

  /** A unique UID-shaped marker (digits only, so it is a valid UI value). */
  uid(where: string): string {
    this.count += 1;
    const text = `1.2.826.0.1.3680043.10.9${String(this.count).padStart(5, "0")}.77`;
    this.markers.push({ text, where });
    return text;
  }

  /** A unique numeric marker for DS and IS. */
  number(where: string): string {
    this.count += 1;
    const text = `8${String(this.count).padStart(8, "0")}1`;
    this.markers.push({ text, where });
    return text;
  }
}

const TEXT_VRS = new Set(["AE", "AS", "CS", "DA", "DT", "LO", "LT", "SH", "ST", "TM", "UC", "UR", "UT"]);
const BINARY_VRS = new Set(["OB", "OW", "OD", "OF", "OL", "OV", "UN", "ox", "lt"]);
const NUMERIC_VRS = new Set(["US", "SS", "UL", "SL", "FL", "FD", "xs"]);

function vrOf(tag: string): string | undefined {
  return dcmjs.data.DicomMetaDictionary.dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`]?.vr;
}

function binaryOf(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text.length % 2 === 0 ? text : `${text} `);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** An element carrying a marker, or undefined when the VR cannot carry a findable one (US, FL...). */
function markedElement(inj: Injector, tag: string, vr: string, where: string): DicomElement | undefined {
  if (vr === "PN") return { vr, Value: [{ Alphabetic: inj.text(where) }] };
  if (vr === "UI") return { vr, Value: [inj.uid(where)] };
  if (vr === "DS" || vr === "IS") return { vr, Value: [inj.number(where)] };
  if (TEXT_VRS.has(vr)) return { vr, Value: [inj.text(where)] };
  if (BINARY_VRS.has(vr)) return { vr: vr === "ox" || vr === "lt" ? "OB" : vr, Value: [binaryOf(inj.text(where))] };
  if (vr === "SQ") return { vr, Value: [identifyingItem(inj, `${where}[0]`)] };
  if (NUMERIC_VRS.has(vr)) {
    inj.numeric.push(tag);
    return { vr: vr === "xs" ? "US" : vr, Value: [4242] };
  }
  inj.skipped.push(`${where} (${tag}, VR ${vr})`);
  return undefined;
}

/** A sequence item stuffed with identifiers, a private block and a nested sequence. */
function identifyingItem(inj: Injector, where: string): DicomDataset {
  return {
    "00080050": { vr: "SH", Value: [inj.text(`${where}.AccessionNumber`)] },
    "00081150": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.2"] },
    "00081155": { vr: "UI", Value: [inj.uid(`${where}.ReferencedSOPInstanceUID`)] },
    "00100010": { vr: "PN", Value: [{ Alphabetic: inj.text(`${where}.PatientName`) }] },
    "00100020": { vr: "LO", Value: [inj.text(`${where}.PatientID`)] },
    "00400009": { vr: "SH", Value: [inj.text(`${where}.ScheduledProcedureStepID`)] },
    "00330010": { vr: "LO", Value: [inj.text(`${where}.PrivateCreator(0033,0010)`)] },
    "00331001": { vr: "LO", Value: [inj.text(`${where}.Private(0033,1001)`)] },
    "00081110": {
      vr: "SQ",
      Value: [
        {
          "00081150": { vr: "UI", Value: ["1.2.840.10008.3.1.2.3.1"] },
          "00081155": { vr: "UI", Value: [inj.uid(`${where}.ReferencedStudySequence[0].ReferencedSOPInstanceUID`)] },
          "00080080": { vr: "LO", Value: [inj.text(`${where}.ReferencedStudySequence[0].InstitutionName`)] },
        },
      ],
    },
  };
}

/** Puts markers into every applicable PS3.15 attribute, private attributes and nested sequences. */
function inject(dict: DicomDataset, meta: DicomDataset, inj: Injector): void {
  // Kept sequences carry identifiers too: they must be walked, not copied whole.
  const special: DicomDataset = {
    "00081140": { vr: "SQ", Value: [identifyingItem(inj, "ReferencedImageSequence[0]")] },
    "00082218": {
      vr: "SQ",
      Value: [
        {
          // A paired structure, so the fixture's (empty) Laterality stays consistent with it.
          "00080100": { vr: "SH", Value: ["64033007"] },
          "00080102": { vr: "SH", Value: ["SCT"] },
          "00080104": { vr: "LO", Value: ["Kidney"] },
          "00081030": { vr: "LO", Value: [inj.text("AnatomicRegionSequence[0].StudyDescription")] },
          "00101040": { vr: "LO", Value: [inj.text("AnatomicRegionSequence[0].PatientAddress")] },
          "00091010": { vr: "LO", Value: [inj.text("AnatomicRegionSequence[0].Private(0009,1010)")] },
        },
      ],
    },
    "00400275": {
      vr: "SQ",
      Value: [
        {
          ...identifyingItem(inj, "RequestAttributesSequence[0]"),
          "00401001": { vr: "SH", Value: [inj.text("RequestAttributesSequence[0].RequestedProcedureID")] },
          "00321060": { vr: "LO", Value: [inj.text("RequestAttributesSequence[0].RequestedProcedureDescription")] },
        },
      ],
    },
    // The Basic Profile's "private attributes: X", with creators, binary values and a private sequence.
    "00090010": { vr: "LO", Value: [inj.text("PrivateCreator(0009,0010)")] },
    "00091001": { vr: "LO", Value: [inj.text("Private(0009,1001)")] },
    "00091002": { vr: "OB", Value: [binaryOf(inj.text("Private(0009,1002) OB"))] },
    "00091003": { vr: "SQ", Value: [identifyingItem(inj, "Private(0009,1003)[0]")] },
    // Odd group past PixelData: only reachable if the reader does not stop at the pixels.
    "7FE10010": { vr: "LO", Value: [inj.text("PrivateCreator(7FE1,0010) after PixelData")] },
    "7FE11001": { vr: "OB", Value: [binaryOf(inj.text("Private(7FE1,1001) after PixelData"))] },
    // Curves: (50xx,xxxx) in the table.
    "50002500": { vr: "LO", Value: [inj.text("CurveLabel(5000,2500)")] },
    "50003000": { vr: "OB", Value: [binaryOf(inj.text("CurveData(5000,3000)"))] },
  };
  Object.assign(dict, special);

  for (const { tag: pattern } of PS315_BASIC_PROFILE) {
    const group = pattern.slice(0, 4);
    // Command (0000), file meta (0002) and DICOMDIR (0004) attributes cannot occur in a data set;
    // the meta one is injected into the meta header below.
    if (group === "0000" || group === "0002" || group === "0004" || pattern === "50xxxxxx") continue;
    // Contrast/Bolus Agent is kept on purpose (see deid-profile.ts); injecting it would test policy, not leaks.
    if (ALLOW_LIST.get(pattern)?.exception?.startsWith("Casebook policy")) continue;
    const tag = pattern.replace(/x/gu, "0");
    if (special[tag] !== undefined) continue;
    const vr = vrOf(tag);
    if (vr === undefined) {
      inj.skipped.push(`${tag} (not in the dcmjs dictionary)`);
      continue;
    }
    const element = markedElement(inj, tag, vr, `PS3.15 (${tag.slice(0, 4)},${tag.slice(4)})`);
    if (element) dict[tag] = element;
  }

  dict["00080005"] = { vr: "CS", Value: ["ISO_IR 192"] };
  meta["00020003"] = { vr: "UI", Value: [inj.uid("MediaStorageSOPInstanceUID")] };
  meta["00020016"] = { vr: "AE", Value: [inj.text("SourceApplicationEntityTitle")] };
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle));
}

/** Every string a parsed data set holds, nested items and person-name components included. */
function allStrings(dict: DicomDataset, out: string[] = []): string[] {
  for (const element of Object.values(dict)) {
    for (const value of Array.isArray(element.Value) ? element.Value : []) {
      if (typeof value === "string" || typeof value === "number") out.push(String(value));
      else if (value instanceof ArrayBuffer) out.push(Buffer.from(value).toString("latin1"));
      else if (element.vr === "SQ") allStrings(value as DicomDataset, out);
      else if (typeof value === "object" && value !== null) out.push(JSON.stringify(value));
    }
  }
  return out;
}

const DEFLATED = "1.2.840.10008.1.2.1.99";

/**
 * Writes meta + data set. dcmjs cannot deflate, so a deflated source is deflated here with zlib;
 * `plain` is the same file before deflating, for checking that the markers went in.
 */
function writePart10(meta: DicomDataset, dict: DicomDataset): { file: Uint8Array; plain: Uint8Array } {
  const syntax = String(meta["00020010"]?.Value?.[0] ?? "");
  if (syntax !== DEFLATED) {
    const file = new dcmjs.data.DicomDict(meta);
    file.dict = dict;
    const bytes = new Uint8Array(file.write({ allowInvalidVRLength: true }));
    return { file: bytes, plain: bytes };
  }
  const plain = new dcmjs.data.DicomDict({ ...meta, "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] } });
  plain.dict = dict;
  const explicit = new Uint8Array(plain.write({ allowInvalidVRLength: true }));
  const plainMetaEnd = 144 + new DataView(explicit.buffer).getUint32(140, true);
  const header = new dcmjs.data.DicomDict({ ...meta });
  const head = new Uint8Array(header.write({ allowInvalidVRLength: true }));
  return { file: new Uint8Array(Buffer.concat([head, deflateRawSync(explicit.subarray(plainMetaEnd))])), plain: explicit };
}

function injectedFile(name: string, inj: Injector): { file: Uint8Array; plain: Uint8Array } {
  const source = readFileSync(new URL(name, fixtures));
  const buffer = source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer;
  const parsed = dcmjs.data.DicomMessage.readFile(buffer);
  inject(parsed.dict, parsed.meta, inj);
  return writePart10(parsed.meta, parsed.dict);
}

describe("de-identification leaves no injected identifier behind", () => {
  const work = mkdtempSync(join(tmpdir(), "casebook-deid-leaks-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const totals = { injected: 0, survived: 0, files: 0, skipped: new Set<string>() };

  for (const name of ["jpeg_2000.dcm", "implicit_little.dcm", "deflated.dcm"]) {
    it(`removes every marker from ${name} (bytes and parsed data set)`, () => {
      const inj = new Injector();
      const { file: input, plain } = injectedFile(name, inj);

      // The injection itself must have worked, or the zero below would prove nothing.
      const found = (bytes: Uint8Array, text: string) =>
        indexOfBytes(bytes, Buffer.from(text, "utf8")) >= 0 || indexOfBytes(bytes, Buffer.from(text, "latin1")) >= 0;
      const notInjected = inj.markers.filter((marker) => !found(plain, marker.text));
      expect(notInjected.map((m) => m.where)).toEqual([]);

      const { bytes: output } = deidentifyPart10(input, { uidSalt: SALT });

      const survivedRaw = inj.markers.filter((marker) => found(output, marker.text));
      const outBuffer = output.buffer.slice(output.byteOffset, output.byteOffset + output.byteLength) as ArrayBuffer;
      const reparsed = dcmjs.data.DicomMessage.readFile(outBuffer);
      const texts = [...allStrings(reparsed.dict), ...allStrings(reparsed.meta)].join("\n");
      const survivedParsed = inj.markers.filter((marker) => texts.includes(marker.text));
      // Private tags must be gone entirely, not just emptied.
      const privateLeft = Object.keys(reparsed.dict).filter((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1);

      expect(survivedRaw.map((m) => `${m.where}: ${m.text}`)).toEqual([]);
      expect(survivedParsed.map((m) => `${m.where}: ${m.text}`)).toEqual([]);
      expect(privateLeft).toEqual([]);
      const numericLeft = inj.numeric.filter((tag) => reparsed.dict[tag] !== undefined);
      expect(numericLeft).toEqual([]);

      // With descriptions kept (bundles the educator reviewed), only the top-level descriptions may remain.
      const kept = deidentifyPart10(input, { uidSalt: SALT, keepDescriptions: true }).bytes;
      const descriptionTags = ["(0008,1030)", "(0008,103E)", "(0018,1030)", "(0020,4000)", "(0040,0254)"];
      const keptLeaks = inj.markers.filter((marker) => found(kept, marker.text));
      expect(keptLeaks.map((m) => m.where).filter((where) => !descriptionTags.some((tag) => where === `PS3.15 ${tag}`))).toEqual([]);
      expect(keptLeaks.length).toBeGreaterThanOrEqual(4);

      if (name === "jpeg_2000.dcm") writeFileSync(join(work, "ct-injected-deid.dcm"), output);
      totals.injected += inj.markers.length + inj.numeric.length;
      totals.survived += survivedRaw.length + survivedParsed.length + numericLeft.length;
      totals.files += 1;
      for (const skip of inj.skipped) totals.skipped.add(skip);
      const survived = survivedRaw.length + survivedParsed.length + numericLeft.length;
      console.log(`deid ${name}: ${inj.markers.length + inj.numeric.length} attributes injected, ${survived} survived`);
    });
  }

  it("leaves a valid CT even when every identifying attribute was garbage", () => {
    const path = join(work, "ct-injected-deid.dcm");
    expect(existsSync(path)).toBe(true);
    const run = spawnSync("dciodvfy", [path], { encoding: "utf8" });
    const errors = `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => line.startsWith("Error"));
    expect(errors).toEqual([]);
  });

  it("summarises the injection run", () => {
    console.log(
      `deid: ${totals.injected} attributes injected across ${totals.files} files, ${totals.survived} survived ` +
        `(${totals.skipped.size} PS3.15 attributes not injectable: unknown to dcmjs)`,
    );
    if (totals.skipped.size > 0) console.log(`deid: not injected: ${[...totals.skipped].join(", ")}`);
    expect(totals.files).toBe(3);
    expect(totals.injected).toBeGreaterThan(900);
    expect(totals.survived).toBe(0);
  });
});
