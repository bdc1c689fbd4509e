import { describe, expect, it } from "vitest";
import { gradeAnswer, gradeSubmission } from "@/lib/grading/grade";
import { loadKey } from "./fixture-keys";

const emh = loadKey("emh-thalassemia-active");
const lipoma = loadKey("lipoma-intradural-thoracic");

describe("gradeSubmission", () => {
  it("is correct when the most likely diagnosis is right", () => {
    expect(gradeSubmission(["EMH", "schwannoma", "lymphoma"], emh)).toMatchObject({ verdict: "correct", score: 1 });
  });

  it("is partial when the right answer is only lower in the differential", () => {
    expect(gradeSubmission(["schwannoma", "lymphoma", "extramedullary haematopoiesis"], emh)).toMatchObject({
      verdict: "partial",
      score: 0.5,
      matched: "extramedullary hematopoiesis",
    });
    expect(gradeSubmission(["dermoid", "intradural lipoma"], lipoma).verdict).toBe("partial");
  });

  it("is incorrect when no ranked answer is right", () => {
    expect(gradeSubmission(["schwannoma", "lymphoma", "extramedullary plasmacytoma"], emh)).toMatchObject({ verdict: "incorrect", score: 0 });
  });

  it("keeps the first entry's partial credit rather than upgrading it from lower entries", () => {
    expect(gradeSubmission(["inactive EMH", "active EMH"], emh).verdict).toBe("partial");
  });

  it("ranks a hedge inside an entry in that entry's place", () => {
    expect(gradeSubmission(["schwannoma vs EMH", "lymphoma"], emh).verdict).toBe("partial");
    expect(gradeSubmission(["EMH vs schwannoma", "lymphoma"], emh).verdict).toBe("correct");
  });

  it("agrees with gradeAnswer for a single entry", () => {
    for (const a of ["EMH", "schwannoma vs EMH", "paraspinal mass", "not EMH"]) {
      expect(gradeSubmission([a], emh).verdict, a).toBe(gradeAnswer(a, emh).verdict);
    }
  });

  it("groups by entry so the same ranked submission is judged once", () => {
    const a = gradeSubmission(["EMH", "Schwannoma"], emh);
    const b = gradeSubmission(["extramedullary haematopoiesis", "schwannomas"], emh);
    const c = gradeSubmission(["Schwannoma", "EMH"], emh);
    expect(a.group).toBe(b.group);
    expect(a.group).not.toBe(c.group);
  });

  it("rejects fewer than one or more than three entries", () => {
    expect(() => gradeSubmission([], emh)).toThrow(RangeError);
    expect(() => gradeSubmission(["a", "b", "c", "d"], emh)).toThrow(RangeError);
  });
});
