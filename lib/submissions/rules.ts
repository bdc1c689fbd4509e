import { z } from "zod";
import type { Phase } from "@/lib/cases/lifecycle";
import type { CaseRow, SubmissionMode } from "@/db/schema";

/** Longest accepted diagnosis: a differential line, not an essay. */
export const MAX_ANSWER_LENGTH = 500;
export const MAX_ANSWERS = 3;

/**
 * A ranked differential as typed into the form: up to three boxes, first = most likely. Blank boxes are
 * dropped (a resident may fill boxes 1 and 3); what remains must be 1 to 3 non-empty, distinct diagnoses.
 */
export const rankedAnswersSchema = z
  .array(z.string().max(5_000, `Each diagnosis may have at most ${MAX_ANSWER_LENGTH} characters`), {
    error: "Enter your most likely diagnosis",
  })
  .transform((list) => list.map((a) => a.trim().replace(/\s+/g, " ")).filter((a) => a.length > 0))
  .pipe(
    z
      .array(z.string().max(MAX_ANSWER_LENGTH, `Each diagnosis may have at most ${MAX_ANSWER_LENGTH} characters`))
      .min(1, "Enter your most likely diagnosis")
      .max(MAX_ANSWERS, `A differential has at most ${MAX_ANSWERS} diagnoses`)
      .refine((list) => new Set(list.map((a) => a.toLowerCase())).size === list.length, "Each diagnosis may appear only once"),
  );

const uuidSchema = z.string().uuid("Unknown case");

/**
 * A resident's own entry. Unknown keys (a client-sent timestamp, a verdict, a user id) are stripped: the
 * server decides who, when and how it counts.
 */
export const submitAnswerSchema = z.object({
  caseId: uuidSchema,
  answers: rankedAnswersSchema,
  /** Optional: the form says which mode it expects, so a stale page cannot enter the wrong one silently. */
  mode: z.enum(["competition", "practice"]).optional(),
});

export const submitGroupAnswerSchema = z.object({
  caseId: uuidSchema,
  groupId: z.string().uuid("Choose one of your resident groups"),
  answers: rankedAnswersSchema,
});

export type SubmitAnswerInput = z.input<typeof submitAnswerSchema>;
export type SubmitGroupAnswerInput = z.input<typeof submitGroupAnswerSchema>;
export type SubmissionFieldErrors = Partial<Record<"caseId" | "groupId" | "answers" | "mode" | "form", string>>;

/** Turns zod issues into one message per field (the first wins), for forms. */
export function toFieldErrors(error: z.ZodError): SubmissionFieldErrors {
  const out: SubmissionFieldErrors = {};
  for (const issue of error.issues) {
    const head = issue.path[0];
    const key = head === "caseId" || head === "groupId" || head === "answers" || head === "mode" ? head : "form";
    out[key] ??= issue.message;
  }
  return out;
}

type Schedule = Pick<CaseRow, "closesAt" | "closedAt">;

/** The moment answers stopped being accepted: the earlier of the scheduled close and a manual close. */
export function effectiveDeadline(c: Schedule): Date | undefined {
  const times = [c.closesAt, c.closedAt].filter((d): d is Date => d !== null);
  if (times.length === 0) return undefined;
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

/** "2026-11-20 17:00 UTC": a server-side message cannot know the reader's zone, so it says UTC. */
export function formatUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export type SubmissionRefusal = { code: "unknown-case" | "not-open" | "closed" | "practice-only" | "not-practice" | "group-practice" | "staff"; message: string };
export type ModeDecision = { ok: true; mode: SubmissionMode } | { ok: false; refusal: SubmissionRefusal };

/**
 * Which mode an entry made now goes into, or why none: open cases take competition entries, revealed cases take
 * practice entries (never counted), and everything else is refused with a reason a resident can act on.
 */
export function decideMode(
  phase: Phase,
  c: Schedule,
  options: { requested?: SubmissionMode; group?: boolean; staff?: boolean } = {},
): ModeDecision {
  const refuse = (code: SubmissionRefusal["code"], message: string): ModeDecision => ({ ok: false, refusal: { code, message } });
  switch (phase) {
    case "draft":
    case "scheduled":
      return refuse("not-open", "This case is not open for answers yet.");
    case "closed": {
      const deadline = effectiveDeadline(c);
      return refuse("closed", deadline ? `The deadline passed on ${formatUtc(deadline)}; this case is closed.` : "This case is closed.");
    }
    case "open":
      if (options.requested === "practice") return refuse("not-practice", "Practice opens after the reveal; while the case is open, your entry competes.");
      if (options.staff) return refuse("staff", "Educators and admins do not take part in the competition; practice opens after the reveal.");
      return { ok: true, mode: "competition" };
    case "revealed":
      if (options.group) return refuse("group-practice", "This case is revealed: group entries closed at the deadline. You can still practise on your own.");
      if (options.requested === "competition") {
        return refuse("practice-only", "This case is revealed: answers now are practice and do not count on the leaderboards.");
      }
      return { ok: true, mode: "practice" };
  }
}

/**
 * The points a stored entry is worth: `review` has none until an educator decides, so it is stored as null and
 * SQL sums skip it.
 */
export function storedScore(verdict: "correct" | "partial" | "incorrect" | "review", score: number): number | null {
  return verdict === "review" ? null : score;
}
