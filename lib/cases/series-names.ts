import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { listAnswerPhrases, setSeriesDescription } from "@/db/queries/series-names";
import { answerLeakError, seriesDescriptionSchema } from "./series-description";
import { fieldErrorsOf, loadEditableCase, type Editor, type Forbidden, type Invalid, type NotFound } from "./editor";

export type SeriesRenamed = { ok: true; seriesId: string; description: string };

export const renameSeriesSchema = z.object({ seriesId: z.uuid("Choose a series of this case"), description: seriesDescriptionSchema });

const isFailure = (x: unknown): x is Forbidden | NotFound => typeof x === "object" && x !== null && "ok" in x && (x as { ok: boolean }).ok === false;

/**
 * Renames a series of a case. Only those who may edit the case may (lib/cases/editor loadEditableCase); a name
 * naming the answer is refused; the change is audited with the old and new (neutral, public) text.
 */
export async function renameSeries(db: Db, editor: Editor, caseId: string, input: unknown): Promise<SeriesRenamed | Forbidden | NotFound | Invalid> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  const parsed = renameSeriesSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { seriesId, description } = parsed.data;
  const leak = answerLeakError(description, await listAnswerPhrases(db, caseId));
  if (leak) return { ok: false, reason: "invalid", fieldErrors: { description: [leak] } };
  const changed = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const before = await setSeriesDescription(t, caseId, seriesId, description);
    if (before && before.from !== description) {
      await recordAudit(t, { actorId: editor.id, action: "case.series.rename", entity: "case", entityId: caseId, detail: { fields: ["series.description"], seriesId, from: before.from, to: description } });
    }
    return before;
  });
  if (!changed) return { ok: false, reason: "invalid", fieldErrors: { seriesId: ["This series is not part of the case"] } };
  return { ok: true, seriesId, description };
}
