import { describe, expect, it } from "vitest";
import { answerLeakError, planeOf, seriesDescriptionSchema, suggestSeriesDescription } from "@/lib/cases/series-description";

describe("suggestSeriesDescription", () => {
  it("names the plane from ImageOrientationPatient: axial, sagittal, coronal, oblique", () => {
    expect(suggestSeriesDescription({ modality: "CT", imageOrientation: [1, 0, 0, 0, 1, 0] })).toBe("CT AX");
    expect(suggestSeriesDescription({ modality: "MR", imageOrientation: [0, 1, 0, 0, 0, -1] })).toBe("MR SAG");
    expect(suggestSeriesDescription({ modality: "mr", imageOrientation: [1, 0, 0, 0, 0, -1] })).toBe("MR COR");
    // Tilted 10 degrees: still axial. Tilted 45 degrees between axial and coronal: oblique.
    const c = Math.cos((10 * Math.PI) / 180);
    const s = Math.sin((10 * Math.PI) / 180);
    expect(suggestSeriesDescription({ modality: "CT", imageOrientation: [1, 0, 0, 0, c, s] })).toBe("CT AX");
    expect(suggestSeriesDescription({ modality: "CT", imageOrientation: [1, 0, 0, 0, Math.SQRT1_2, Math.SQRT1_2] })).toBe("CT OBL");
  });

  it("falls back to the modality alone when the orientation is missing or degenerate, and to OT without a modality", () => {
    expect(suggestSeriesDescription({ modality: "CR", imageOrientation: null })).toBe("CR");
    expect(suggestSeriesDescription({ modality: "US", imageOrientation: [1, 0, 0, 1, 0, 0] })).toBe("US");
    expect(suggestSeriesDescription({ modality: "CT", imageOrientation: [1, 0, 0, 0, Number.NaN, 0] })).toBe("CT");
    expect(suggestSeriesDescription({ modality: " ", imageOrientation: undefined })).toBe("OT");
    expect(planeOf([1, 0, 0])).toBeUndefined();
  });

  it("always proposes a description the schema accepts", () => {
    for (const m of ["CT", "MR", "PT", "SR\\X", "ÜS"]) expect(seriesDescriptionSchema.safeParse(suggestSeriesDescription({ modality: m, imageOrientation: [1, 0, 0, 0, 1, 0] })).success).toBe(true);
  });
});

describe("seriesDescriptionSchema and answerLeakError", () => {
  it("trims, keeps LO-safe text up to 64 characters, and refuses backslashes, control characters and accents", () => {
    expect(seriesDescriptionSchema.parse("  SAG T1 FS POST GD ")).toBe("SAG T1 FS POST GD");
    expect(seriesDescriptionSchema.safeParse("x".repeat(64)).success).toBe(true);
    expect(seriesDescriptionSchema.safeParse("x".repeat(65)).success).toBe(false);
    for (const bad of ["AX\\T2", "AX\tT2", "AX T2 é", ""]) expect(seriesDescriptionSchema.safeParse(bad).success).toBe(false);
  });

  it("names the answer phrase a description contains as whole words", () => {
    expect(answerLeakError("AX T2 EMH", ["Extramedullary hematopoiesis", "EMH"])).toMatch(/\("EMH"\)/);
    expect(answerLeakError("AX T2 FS", ["Extramedullary hematopoiesis", "EMH"])).toBeUndefined();
    // Substrings of other words are not leaks ("emhx" is not "EMH").
    expect(answerLeakError("EMHX protocol", ["EMH"])).toBeUndefined();
  });
});
