"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/session";
import type { SubmissionFieldErrors } from "@/lib/submissions/rules";
import { submitAnswer as submitOwnEntry, submitGroupAnswer as submitGroupEntry, type SubmitResult } from "@/lib/submissions/submit";

/** What the submission forms get back: expected failures are values, never thrown. */
export type SubmissionActionState =
  | { ok: true; message: string; practice?: { verdict: string; score: number | null } }
  | { ok: false; fieldErrors?: SubmissionFieldErrors; error?: string }
  | null;

function answersFrom(form: FormData): string[] {
  return form.getAll("answer").map((v) => (typeof v === "string" ? v : ""));
}

function toState(result: SubmitResult, group: boolean): SubmissionActionState {
  if (!result.ok) return "fieldErrors" in result ? { ok: false, fieldErrors: result.fieldErrors } : { ok: false, error: result.error };
  const what = group ? "Group entry" : result.mode === "practice" ? "Practice answer" : "Your entry";
  const message = result.changed ? `${what} saved.` : `${what} is unchanged: it already reads like this.`;
  return { ok: true, message, ...(result.practice ? { practice: result.practice } : {}) };
}

async function afterWrite(form: FormData) {
  const number = form.get("caseNumber");
  if (typeof number === "string" && /^[0-9]{1,9}$/.test(number)) revalidatePath(`/cases/${number}`);
  revalidatePath("/leaderboards");
}

/** Saves the signed-in resident's own ranked differential (competition while open, practice after the reveal). */
export async function submitAnswer(_prev: SubmissionActionState, form: FormData): Promise<SubmissionActionState> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again to submit." };
  const mode = form.get("mode");
  const result = await submitOwnEntry(
    await getDb(),
    user,
    { caseId: form.get("caseId"), answers: answersFrom(form), ...(typeof mode === "string" && mode ? { mode } : {}) },
    new Date(),
  );
  if (result.ok && result.changed) await afterWrite(form);
  return toState(result, false);
}

/** Saves a resident group's entry; any member may edit it until the deadline. */
export async function submitGroupAnswer(_prev: SubmissionActionState, form: FormData): Promise<SubmissionActionState> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again to submit." };
  const result = await submitGroupEntry(await getDb(), user, { caseId: form.get("caseId"), groupId: form.get("groupId"), answers: answersFrom(form) }, new Date());
  if (result.ok && result.changed) await afterWrite(form);
  return toState(result, true);
}
