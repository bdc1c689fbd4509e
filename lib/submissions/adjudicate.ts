import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { bumpLeaderboardVersion } from "@/db/queries/leaderboard";
import { lockEntriesForOverride } from "@/db/queries/submissions";
import { getUserById } from "@/db/queries/users";
import { submissions, verdictOverrides } from "@/db/schema";
import { VERDICT_SCORES } from "@/lib/grading";
import { storedScore } from "./rules";

export const overrideVerdictSchema = z
  .object({
    caseId: z.string().uuid(),
    answerGroup: z.string().max(5_000).optional(),
    submissionId: z.string().uuid().optional(),
    verdict: z.enum(["correct", "partial", "incorrect", "review"]),
    actorId: z.string().uuid(),
  })
  .refine((v) => (v.answerGroup === undefined) !== (v.submissionId === undefined), "Name either an answer group or one submission");

export type OverrideVerdictInput = z.input<typeof overrideVerdictSchema>;
export type OverrideResult = { ok: true; updated: number } | { ok: false; error: string };

/**
 * An educator's verdict, for every entry of a case with one normalised answer (answerGroup) or for one entry
 * (submissionId). Scores are recomputed in the same transaction, and leaderboards read scores live, so the
 * change shows at once. A group verdict is also remembered, so later entries with that answer get it too.
 * Audited; residents and unknown actors are refused.
 */
export async function overrideVerdict(db: Db, input: OverrideVerdictInput): Promise<OverrideResult> {
  const parsed = overrideVerdictSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid override" };
  const { caseId, answerGroup, submissionId, verdict, actorId } = parsed.data;
  const actor = await getUserById(db, actorId);
  if (!actor || actor.role === "resident") return { ok: false, error: "Only educators and admins may adjudicate answers." };
  const score = storedScore(verdict, VERDICT_SCORES[verdict]);
  return db.transaction(async (tx) => {
    const target = submissionId !== undefined ? { submissionId } : { answerGroup: answerGroup ?? "" };
    const entries = await lockEntriesForOverride(tx, caseId, target);
    if (submissionId !== undefined && entries.length === 0) return { ok: false as const, error: "No such submission in this case." };
    if (answerGroup !== undefined) {
      // "review" withdraws a standing group verdict; anything else records it for later entries.
      if (verdict === "review") {
        await tx.delete(verdictOverrides).where(sql`${verdictOverrides.caseId} = ${caseId} and ${verdictOverrides.answerGroup} = ${answerGroup}`);
      } else {
        await tx
          .insert(verdictOverrides)
          .values({ caseId, answerGroup, verdict, actorId, at: new Date() })
          .onConflictDoUpdate({ target: [verdictOverrides.caseId, verdictOverrides.answerGroup], set: { verdict, actorId, at: new Date() } });
      }
    }
    if (entries.length > 0) {
      await tx
        .update(submissions)
        .set({ verdict, score, overridden: verdict !== "review", updatedAt: new Date() })
        .where(inArray(submissions.id, entries.map((e) => e.id)));
      // Rankings are cached per fingerprint; this makes the next read rebuild them with the new scores.
      await bumpLeaderboardVersion(tx);
    }
    await recordAudit(tx, {
      actorId,
      action: "submission.override",
      entity: "case",
      entityId: caseId,
      detail: {
        verdict,
        ...(answerGroup !== undefined ? { answerGroup } : { submissionId }),
        submissions: entries.map((e) => ({ id: e.id, from: e.verdict })),
      },
    });
    return { ok: true as const, updated: entries.length };
  });
}
