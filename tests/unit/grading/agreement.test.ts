import { describe, expect, it } from "vitest";
import { gradeAnswer, type Verdict } from "@/lib/grading/grade";
import { CASE_SLUGS, loadKey, loadLabelled, type LabelledAnswer } from "./fixture-keys";

interface Agreement {
  total: number;
  agreed: number;
  review: number;
  disagreements: string[];
}

// Every answer is judged against the key the app grades with: cases/<slug>/case.yaml.
function measure(rows: readonly LabelledAnswer[]): Agreement {
  const keys = new Map(CASE_SLUGS.map((slug) => [slug, loadKey(slug)]));
  let agreed = 0;
  let review = 0;
  const disagreements: string[] = [];
  for (const row of rows) {
    const key = keys.get(row.case);
    if (!key) throw new Error(`unknown case ${row.case}: not a folder under cases/`);
    const { verdict } = gradeAnswer(row.answer, key);
    if (verdict === "review") review++;
    if (verdict === row.expected) agreed++;
    else disagreements.push(`  ${row.case}: ${JSON.stringify(row.answer)} labelled ${row.expected}, graded ${verdict}`);
  }
  return { total: rows.length, agreed, review, disagreements };
}

function report(name: string, a: Agreement): void {
  const pct = (n: number) => `${((100 * n) / a.total).toFixed(1)}%`;
  console.log(`${name}: agreement ${pct(a.agreed)} (${a.agreed}/${a.total}), review ${pct(a.review)} (${a.review}/${a.total})`);
  if (a.disagreements.length > 0) console.log(a.disagreements.join("\n"));
}

/** The three labelled files (see tests/fixtures/grading/README.md for how and when each was labelled). */
const FILES = ["labelled.jsonl", "holdout.jsonl", "holdout-keys.jsonl"] as const;
const everything = () => FILES.flatMap((f) => loadLabelled(f));

describe("agreement with radiologist labels, against the bundled case keys", () => {
  it("covers all nine bundled cases with at least 200 varied answers and every verdict", () => {
    const rows = everything();
    expect(CASE_SLUGS).toHaveLength(9);
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rows.map((r) => r.case))).toEqual(new Set(CASE_SLUGS));
    expect(new Set<Verdict>(rows.map((r) => r.expected))).toEqual(new Set(["correct", "partial", "incorrect", "review"]));
    for (const slug of CASE_SLUGS) expect(rows.filter((r) => r.case === slug).length, slug).toBeGreaterThanOrEqual(30);
    // No answer is counted twice for a case, across the files either.
    expect(new Set(rows.map((r) => `${r.case}|${r.answer.toLowerCase()}`)).size).toBe(rows.length);
  });

  it("agrees with at least 97% of the labelled answers and sends at most 5% to review", () => {
    for (const file of FILES) report(file, measure(loadLabelled(file)));
    const all = measure(everything());
    report("all labelled answers", all);
    expect(all.agreed / all.total).toBeGreaterThanOrEqual(0.97);
    expect(all.review / all.total).toBeLessThanOrEqual(0.05);
  });

  it("stays above 95% agreement on each file alone, the later blind ones included", () => {
    for (const file of FILES) {
      const a = measure(loadLabelled(file));
      expect(a.agreed / a.total, file).toBeGreaterThanOrEqual(0.95);
    }
  });
});
