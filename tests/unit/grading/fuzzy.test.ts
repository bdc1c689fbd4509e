import { describe, expect, it } from "vitest";
import { editDistance, isTypoOf, typoAllowance } from "@/lib/grading/fuzzy";

describe("typo tolerance", () => {
  it("allows 0 edits up to 4 letters, 1 for 5-8 letters, 2 for longer words", () => {
    expect([1, 4, 5, 8, 9, 14].map(typoAllowance)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("counts an adjacent transposition as one edit", () => {
    expect(editDistance("lipoma", "lipmoa")).toBe(1);
    expect(editDistance("hematopoiesis", "hematopoeisis")).toBe(1);
    expect(editDistance("lymphoma", "lipoma")).toBe(3);
  });

  it("accepts typos within the allowance and nothing beyond it", () => {
    expect(isTypoOf("extramedulary", "extramedullary")).toBe(true);
    expect(isTypoOf("hematopiesis", "hematopoiesis")).toBe(true);
    expect(isTypoOf("lipma", "lipoma")).toBe(true);
    expect(isTypoOf("lymphoma", "lipoma")).toBe(false);
    expect(isTypoOf("irom", "iron")).toBe(false);
  });

  it("requires the first letter to agree so prefixed opposites stay apart", () => {
    expect(isTypoOf("intramedullary", "extramedullary")).toBe(false);
    expect(isTypoOf("inactive", "active")).toBe(false);
  });
});
