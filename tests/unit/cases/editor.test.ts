import { describe, expect, it } from "vitest";
import { caseDocumentSchema, changedFields, fieldErrorsOf, publishProblems, scheduleSchema, slugFromTitle, type CaseDocument } from "@/lib/cases/editor";

const blank: CaseDocument = {
  title: "Paraspinal extramedullary hematopoiesis",
  slug: "emh-case",
  summary: "",
  ageBucket: null,
  sex: null,
  history: "",
  tags: [],
  modalities: [],
  bodyRegion: "",
  difficulty: null,
  findings: "",
  diagnosis: "",
  differential: [],
  discussion: "",
  learningPoints: [],
  confirmation: "",
  references: [],
  revealTags: [],
  answerKey: { diagnosis: "Paraspinal extramedullary hematopoiesis", synonyms: [], partial: [], reject: [] },
  collectionIds: [],
};

const editorInput = { ...blank, ageBucket: "", sex: "" };

describe("slugFromTitle", () => {
  it("makes lower-case dashed words, without accents, parentheses or trailing dashes", () => {
    expect(slugFromTitle("Paraspinal EMH (active pattern)")).toBe("paraspinal-emh-active-pattern");
    expect(slugFromTitle("  Ewing sarcoma — Côte d'Ivoire  ")).toBe("ewing-sarcoma-cote-d-ivoire");
    expect(slugFromTitle("!!!")).toBe("");
    expect(slugFromTitle("a ".repeat(60)).length).toBeLessThanOrEqual(80);
    expect(slugFromTitle("a ".repeat(60))).not.toMatch(/-$/);
  });
});

describe("caseDocumentSchema", () => {
  it("accepts a draft with empty choices and turns them into nulls", () => {
    const parsed = caseDocumentSchema.parse(editorInput);
    expect(parsed.ageBucket).toBeNull();
    expect(parsed.sex).toBeNull();
  });

  it("trims, drops blank list rows and blank differential rows, and upper-cases modalities once", () => {
    const parsed = caseDocumentSchema.parse({
      ...editorInput,
      modalities: [" ct", "MR ", "ct", ""],
      tags: ["spine", " ", ""],
      learningPoints: ["First point", "", "  Second  "],
      differential: [
        { diagnosis: " Schwannoma ", whyLessLikely: " single " },
        { diagnosis: "", whyLessLikely: "" },
      ],
      answerKey: { diagnosis: " EMH ", synonyms: ["", "extramedullary hematopoiesis"], partial: [], reject: [" "] },
    });
    expect(parsed.modalities).toEqual(["CT", "MR"]);
    expect(parsed.tags).toEqual(["spine"]);
    expect(parsed.learningPoints).toEqual(["First point", "Second"]);
    expect(parsed.differential).toEqual([{ diagnosis: "Schwannoma", whyLessLikely: "single" }]);
    expect(parsed.answerKey).toEqual({ diagnosis: "EMH", synonyms: ["extramedullary hematopoiesis"], partial: [], reject: [] });
  });

  it("names every invalid field in its errors", () => {
    const result = caseDocumentSchema.safeParse({
      ...editorInput,
      slug: "Has Spaces",
      summary: "x".repeat(161),
      difficulty: 0,
      ageBucket: "100+",
      differential: [{ diagnosis: " ", whyLessLikely: "why" }],
      answerKey: { ...blank.answerKey, diagnosis: "  " },
      collectionIds: ["not-a-uuid"],
    });
    expect(result.success).toBe(false);
    const errors = fieldErrorsOf(result.error!);
    expect(Object.keys(errors).sort()).toEqual(["ageBucket", "answerKey.diagnosis", "collectionIds.0", "differential.0.diagnosis", "difficulty", "slug", "summary"]);
    expect(errors.slug).toEqual(["Use lower-case letters, digits and single dashes"]);
  });
});

describe("changedFields", () => {
  it("lists the names of changed fields and answer-key parts, ignoring collection order", () => {
    const a = { ...blank, collectionIds: ["b", "a"] };
    const b = { ...blank, summary: "New", collectionIds: ["a", "b"], answerKey: { ...blank.answerKey, reject: ["plasmacytoma"] } };
    expect(changedFields(a, b)).toEqual(["summary", "answerKey.reject"]);
    expect(changedFields(blank, { ...blank })).toEqual([]);
  });
});

describe("publishProblems", () => {
  it("lists what a case lacks before publishing, by field", () => {
    expect(Object.keys(publishProblems(blank)).sort()).toEqual(["ageBucket", "bodyRegion", "difficulty", "history", "modalities", "sex", "summary"]);
    const complete = { ...blank, summary: "s", ageBucket: "30-39" as const, sex: "F" as const, history: "h", modalities: ["CT"], bodyRegion: "thorax", difficulty: 2 };
    expect(publishProblems(complete)).toEqual({});
  });
});

describe("scheduleSchema", () => {
  const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();

  it("stores UTC instants and empty moments as null", () => {
    const parsed = scheduleSchema.parse({ status: "draft", opensAt: "2026-12-01T13:00:00+01:00", closesAt: "", revealsAt: null });
    expect(parsed.opensAt?.toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(parsed.closesAt).toBeNull();
    expect(parsed.revealsAt).toBeNull();
  });

  it("refuses closes before opens, reveals before closes, and a published case without an opening time", () => {
    const bad = scheduleSchema.safeParse({ status: "published", opensAt: "", closesAt: at(10), revealsAt: at(9) });
    expect(fieldErrorsOf(bad.error!)).toEqual({ revealsAt: ["Reveals must not be before closes"], opensAt: ["A published case needs an opening time"] });
    const equal = scheduleSchema.safeParse({ status: "draft", opensAt: at(10), closesAt: at(10), revealsAt: "" });
    expect(fieldErrorsOf(equal.error!)).toEqual({ closesAt: ["Closes must be after opens"] });
    expect(scheduleSchema.safeParse({ status: "draft", opensAt: at(10), closesAt: at(11), revealsAt: at(11) }).success).toBe(true);
  });

  it("refuses timestamps without a zone (the browser must convert local time to UTC)", () => {
    const result = scheduleSchema.safeParse({ status: "draft", opensAt: "2026-12-01T12:00", closesAt: "", revealsAt: "" });
    expect(result.success).toBe(false);
  });
});
