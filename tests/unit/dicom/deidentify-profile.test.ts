import dcmjs from "dcmjs";
import { describe, expect, it } from "vitest";
import { ALLOW_LIST, DESCRIPTION_TAGS, PS315_BASIC_PROFILE, matchesTagPattern, ps315ActionFor } from "@/lib/dicom/deid-profile";

function dictionaryName(tag: string): string | undefined {
  return dcmjs.data.DicomMetaDictionary.dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`]?.name.replace(/^RETIRED_/u, "");
}

describe("de-identification profile tables", () => {
  it("spells every allow-list keyword as the DICOM dictionary does", () => {
    const wrong = [...ALLOW_LIST.values()]
      .filter((entry) => dictionaryName(entry.tag) !== entry.keyword)
      .map((entry) => `${entry.tag} ${entry.keyword} (dictionary: ${dictionaryName(entry.tag)})`);
    expect(wrong).toEqual([]);
  });

  it("allows no private (odd group) attribute", () => {
    expect([...ALLOW_LIST.keys()].filter((tag) => Number.parseInt(tag.slice(0, 4), 16) % 2 === 1)).toEqual([]);
  });

  it("holds the PS3.15 Basic Profile table, every tag known to the dictionary", () => {
    expect(PS315_BASIC_PROFILE.length).toBeGreaterThan(450);
    const unknown = PS315_BASIC_PROFILE.filter((e) => !e.tag.includes("x") && dictionaryName(e.tag) === undefined).map((e) => e.tag);
    expect(unknown).toEqual([]);
    const tags = PS315_BASIC_PROFILE.map((e) => e.tag);
    expect(new Set(tags).size).toBe(tags.length);
    expect(ps315ActionFor("00100010")).toBe("Z");
    expect(ps315ActionFor("00100020")).toBe("Z/D");
    expect(ps315ActionFor("00080018")).toBe("U");
    expect(ps315ActionFor("00080080")).toBe("X/Z/D");
    expect(ps315ActionFor("50123000")).toBe("X");
    expect(ps315ActionFor("60023000")).toBe("X");
    expect(matchesTagPattern("60004000", "60xx4000")).toBe(true);
    expect(matchesTagPattern("60004001", "60xx4000")).toBe(false);
    console.log(`deid profile: ${PS315_BASIC_PROFILE.length} PS3.15 rows, ${ALLOW_LIST.size} allow-list entries`);
  });

  it("never keeps an attribute PS3.15 removes or blanks without a stated exception", () => {
    const overlap = [...ALLOW_LIST.values()].filter((entry) => ps315ActionFor(entry.tag) !== undefined);
    const unexplained = overlap.filter((entry) => ["keep", "time", "sex"].includes(entry.action) && !entry.exception);
    expect(unexplained.map((e) => e.keyword)).toEqual([]);
    // Exceptions are only for real conflicts with the standard.
    const needless = [...ALLOW_LIST.values()].filter((entry) => entry.exception && ps315ActionFor(entry.tag) === undefined);
    expect(needless.map((e) => e.keyword)).toEqual([]);
    // Every UID the standard says to replace and the allow-list keeps is remapped.
    const uids = overlap.filter((entry) => ps315ActionFor(entry.tag) === "U");
    expect(uids.filter((entry) => entry.action !== "uid").map((e) => e.keyword)).toEqual([]);
    expect(uids.length).toBeGreaterThanOrEqual(8);
  });

  it("sends study and series descriptions, protocol names and image comments to review", () => {
    const keywords = DESCRIPTION_TAGS.map((tag) => ALLOW_LIST.get(tag)?.keyword);
    expect(keywords).toEqual(
      expect.arrayContaining(["StudyDescription", "SeriesDescription", "ProtocolName", "ImageComments"]),
    );
  });
});
