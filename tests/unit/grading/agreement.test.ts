import { describe, expect, it } from "vitest";
import { gradeAnswer, type Verdict } from "@/lib/grading/grade";
import { CASE_SLUGS, loadKey, loadLabelled, type LabelledAnswer } from "./fixture-keys";

interface Agreement {
  total: number;
  agreed: number;
  review: number;
  disagreements: string[];
}

function measure(rows: readonly LabelledAnswer[]): Agreement {
  const keys = new Map(CASE_SLUGS.map((slug) => [slug, loadKey(slug)]));
  let agreed = 0;
  let review = 0;
  const disagreements: string[] = [];
  for (const row of rows) {
    const key = keys.get(row.case);
    if (!key) throw new Error(`unknown case ${row.case}`);
    const { verdict } = gradeAnswer(row.answer, key);
    if (verdict === "review") review++;
    if (verdict === row.expected) agreed++;
    else disagreements.push(`  ${row.case}: ${JSON.stringify(row.answer)} labelled ${row.expected}, graded ${verdict}`);
  }
  return { total: rows.length, agreed, review, disagreements };
}

function report(name: string, a: Agreement): void {
  const pct = (n: number) => `${((100 * n) / a.total).toFixed(1)}%`;
  console.log(`${name}: ${pct(a.agreed)} (${a.agreed}/${a.total}), review ${pct(a.review)}`);
  if (a.disagreements.length > 0) console.log(a.disagreements.join("\n"));
}

describe("agreement with radiologist labels", () => {
  it("labelled set covers all nine bundled cases with at least 200 varied answers and every verdict", () => {
    const rows = loadLabelled("labelled.jsonl");
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rows.map((r) => r.case))).toEqual(new Set(CASE_SLUGS));
    const verdicts = new Set<Verdict>(rows.map((r) => r.expected));
    expect(verdicts).toEqual(new Set(["correct", "partial", "incorrect", "review"]));
    const perCase = (slug: string) => rows.filter((r) => r.case === slug).length;
    for (const slug of CASE_SLUGS) expect(perCase(slug)).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => `${r.case}|${r.answer.toLowerCase()}`)).size).toBe(rows.length);
  });

  it("agrees with at least 97% of the labelled answers and sends at most 5% to review", () => {
    const a = measure(loadLabelled("labelled.jsonl"));
    report("grading agreement", a);
    expect(a.agreed / a.total).toBeGreaterThanOrEqual(0.97);
    expect(a.review / a.total).toBeLessThanOrEqual(0.05);
  });

  it("agrees with at least 95% of the held-out answers (see the fixtures README for the blind figure)", () => {
    const a = measure(loadLabelled("holdout.jsonl"));
    report("held-out agreement", a);
    expect(a.agreed / a.total).toBeGreaterThanOrEqual(0.95);
    expect(a.review / a.total).toBeLessThanOrEqual(0.05);
  });
});
