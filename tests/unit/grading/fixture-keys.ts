import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAnswerKeyDocument, type AnswerKey } from "@/lib/grading/answer-key";
import type { Verdict } from "@/lib/grading/grade";

export const FIXTURE_DIR = fileURLToPath(new URL("../../fixtures/grading/", import.meta.url));

export const CASE_SLUGS = [
  "emh-thalassemia-active",
  "emh-thalassemia-fatty",
  "emh-thalassemia-iron",
  "emh-thalassemia-mixed",
  "emh-epidural-thoracic",
  "emh-sclerosing-myelofibrosis",
  "plasmacytoma-leg",
  "myeloma-extramedullary-paraspinal",
  "lipoma-intradural-thoracic",
] as const;
export type CaseSlug = (typeof CASE_SLUGS)[number];

/** Reads and validates one bundled case's answer key from the fixtures. */
export function loadKey(slug: string): AnswerKey {
  const parsed = parseAnswerKeyDocument(JSON.parse(readFileSync(`${FIXTURE_DIR}keys/${slug}.json`, "utf8")));
  if (!parsed.ok) throw new Error(`fixture key ${slug}: ${parsed.issues.join("; ")}`);
  return parsed.key;
}

export interface LabelledAnswer {
  case: CaseSlug;
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
