import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { caseFileSchema } from "@/lib/cases/bundle-schema";
import type { AnswerKey } from "@/lib/grading/answer-key";
import type { Verdict } from "@/lib/grading/grade";

export const FIXTURE_DIR = fileURLToPath(new URL("../../fixtures/grading/", import.meta.url));
export const CASES_DIR = fileURLToPath(new URL("../../../cases/", import.meta.url));

/** The bundled cases: every folder under cases/ with a case.yaml. */
export const CASE_SLUGS: readonly string[] = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(`${CASES_DIR}${e.name}/case.yaml`))
  .map((e) => e.name)
  .sort();

/**
 * The answer key of one bundled case, read from its case.yaml and validated with the bundle schema: the one
 * source of keys (the labelled answers are judged against what the app grades with).
 */
export function loadKey(slug: string): AnswerKey {
  const parsed = caseFileSchema.safeParse(YAML.parse(readFileSync(`${CASES_DIR}${slug}/case.yaml`, "utf8")));
  if (!parsed.success) throw new Error(`cases/${slug}/case.yaml: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.answer;
}

export interface LabelledAnswer {
  /** Slug of a bundled case (cases/<slug>). */
  case: string;
  answer: string;
  expected: Verdict;
}

/** Reads a labelled JSONL file (one `{case, answer, expected}` per line). */
export function loadLabelled(file: string): LabelledAnswer[] {
  return readFileSync(`${FIXTURE_DIR}${file}`, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelledAnswer);
}
