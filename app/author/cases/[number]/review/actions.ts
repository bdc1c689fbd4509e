"use server";

// Server action of the adjudication page: resolves the signed-in user, asks lib/cases/editor (which asks
// lib/cases/visibility) whether they may edit this case, then hands over to overrideVerdict, which audits the
// change and bumps the leaderboard version so rankings follow at once.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import { loadEditableCase } from "@/lib/cases/editor";
import { overrideVerdict } from "@/lib/submissions/adjudicate";

const adjudicationForm = z.object({
  caseId: z.uuid(),
  caseNumber: z.string().regex(/^\d+$/),
  answerGroup: z.string().max(5_000),
  verdict: z.enum(["correct", "partial", "incorrect", "review"]),
});

export type AdjudicationState = { ok: true; message: string } | { ok: false; error: string } | null;

/** One verdict for every entry of a case that shares a normalised answer. */
export async function adjudicateAction(_prev: AdjudicationState, form: FormData): Promise<AdjudicationState> {
  const user = await getCurrentUser();
  if (!user || !isStaff(user.role)) return { ok: false, error: "Only the case's educators may adjudicate answers." };
  const parsed = adjudicationForm.safeParse({
    caseId: form.get("caseId"),
    caseNumber: form.get("caseNumber"),
    answerGroup: form.get("answerGroup") ?? "",
    verdict: form.get("verdict"),
  });
  if (!parsed.success) return { ok: false, error: "Invalid adjudication." };
  const { caseId, caseNumber, answerGroup, verdict } = parsed.data;
  const db = await getDb();
  const loaded = await loadEditableCase(db, user, caseId);
  if ("reason" in loaded) return { ok: false, error: loaded.reason === "forbidden" ? "Only the case's educators may adjudicate answers." : "There is no such case." };
  const result = await overrideVerdict(db, { caseId, answerGroup, verdict, actorId: user.id });
  if (!result.ok) return { ok: false, error: result.error };
  revalidatePath(`/author/cases/${caseNumber}/review`);
  revalidatePath("/leaderboards");
  revalidatePath(`/cases/${caseNumber}`);
  return { ok: true, message: `Marked ${verdict}: ${result.updated} entr${result.updated === 1 ? "y" : "ies"} updated.` };
}
