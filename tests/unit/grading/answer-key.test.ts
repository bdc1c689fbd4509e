import { describe, expect, it } from "vitest";
import { answerKeySchema, parseAnswerKeyDocument } from "@/lib/grading/answer-key";
import { CASE_SLUGS, loadKey } from "./fixture-keys";

describe("answerKeySchema", () => {
  it("defaults the optional lists to empty arrays", () => {
    expect(answerKeySchema.parse({ diagnosis: "Intradural lipoma" })).toEqual({
      diagnosis: "Intradural lipoma",
      synonyms: [],
      partial: [],
      reject: [],
    });
  });

  it("rejects an empty or blank diagnosis", () => {
    expect(answerKeySchema.safeParse({ diagnosis: "" }).success).toBe(false);
    expect(answerKeySchema.safeParse({ diagnosis: "   " }).success).toBe(false);
    expect(answerKeySchema.safeParse({}).success).toBe(false);
  });

  it("rejects lists that are not lists of non-empty strings", () => {
    expect(answerKeySchema.safeParse({ diagnosis: "X", synonyms: "EMH" }).success).toBe(false);
    expect(answerKeySchema.safeParse({ diagnosis: "X", reject: [""] }).success).toBe(false);
    expect(answerKeySchema.safeParse({ diagnosis: "X", partial: [3] }).success).toBe(false);
  });
});

describe("parseAnswerKeyDocument", () => {
  it("accepts the wrapped {answer: {...}} shape and the bare inner object", () => {
    const inner = { diagnosis: "Extramedullary plasmacytoma", reject: ["extramedullary hematopoiesis"] };
    const wrapped = parseAnswerKeyDocument({ answer: inner });
    const bare = parseAnswerKeyDocument(inner);
    expect(wrapped).toEqual(bare);
    expect(wrapped.ok && wrapped.key.reject).toEqual(["extramedullary hematopoiesis"]);
  });

  it("names the offending field with its path in the document", () => {
    const result = parseAnswerKeyDocument({ answer: { diagnosis: "", synonyms: "EMH" } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.some((i) => i.startsWith("answer.diagnosis:"))).toBe(true);
      expect(result.issues.some((i) => i.startsWith("answer.synonyms:"))).toBe(true);
    }
    const bare = parseAnswerKeyDocument({ diagnosis: "X", reject: ["ok", ""] });
    expect(!bare.ok && bare.issues).toEqual(["reject.1: must be a non-empty string"]);
    expect(parseAnswerKeyDocument(null)).toMatchObject({ ok: false });
  });

  it("validates all nine bundled answer keys", () => {
    for (const slug of CASE_SLUGS) expect(loadKey(slug).diagnosis.length, slug).toBeGreaterThan(0);
  });
});
