import { z } from "zod";

const phraseList = z.array(z.string().trim().min(1, "must be a non-empty string")).default([]);

/**
 * One case's answer key. Shared with the case-bundle importer, so bundles and the grading CLI
 * reject the same mistakes. `partial` and `reject` are optional; `reject` lists near misses that
 * must never be accepted even when they share words with the diagnosis.
 */
export const answerKeySchema = z.object({
  diagnosis: z.string().trim().min(1, "must be a non-empty string"),
  synonyms: phraseList,
  partial: phraseList,
  reject: phraseList,
});

/** A validated answer key (arrays always present). */
export type AnswerKey = z.infer<typeof answerKeySchema>;
/** What an author may write: the arrays are optional. */
export type AnswerKeyInput = z.input<typeof answerKeySchema>;

const wrappedAnswerKeySchema = z.object({ answer: answerKeySchema });

/** Outcome of reading a key document; expected failures are values, each issue names its field. */
export type AnswerKeyParseResult = { ok: true; key: AnswerKey } | { ok: false; issues: string[] };

/**
 * Validates a parsed key document that is either `{ "answer": { ... } }` (the case-bundle shape)
 * or the inner object itself. Issue paths are reported as written in the document
 * (`answer.diagnosis`), so an author can find the field.
 */
export function parseAnswerKeyDocument(doc: unknown): AnswerKeyParseResult {
  const isWrapped = typeof doc === "object" && doc !== null && !Array.isArray(doc) && "answer" in doc;
  const parsed = isWrapped ? wrappedAnswerKeySchema.safeParse(doc) : answerKeySchema.safeParse(doc);
  if (parsed.success) {
    return { ok: true, key: "answer" in parsed.data ? parsed.data.answer : parsed.data };
  }
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return `${path === "" ? "(root)" : path}: ${issue.message}`;
  });
  return { ok: false, issues };
}
