import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { deleteKeyImageOnInstance, getInstanceCaseAndHold, listKeyImageOrder, setKeyImageOrder, upsertKeyImage } from "@/db/queries/key-images";
import { annotationSchema } from "@/lib/viewer/schemas";
import { fieldErrorsOf, loadEditableCase, type Editor, type Forbidden, type Invalid, type NotFound } from "./editor";

/**
 * A key image as the case editor's viewer sends it: the instance, a caption and the annotations drawn on it, in
 * image pixel coordinates. They are stored as data (key_images), never burned into the pixels.
 */
export const keyImageInputSchema = z.object({
  instanceId: z.uuid("Choose an image of this case"),
  caption: z.string().trim().max(300, "Use at most 300 characters").default(""),
  annotations: z.array(annotationSchema).max(50, "Use at most 50 annotations per image"),
});
export type KeyImageInput = z.input<typeof keyImageInputSchema>;

export type KeyImageSaved = { ok: true; id: string; instanceId: string; caption: string; annotations: z.output<typeof annotationSchema>[] };

const isFailure = (x: unknown): x is Forbidden | NotFound => typeof x === "object" && x !== null && "ok" in x && (x as { ok: boolean }).ok === false;

/** What the audit log keeps of a key-image change: counts and kinds, never the (answer-revealing) texts. */
function auditDetail(instanceId: string, annotations: { type: string }[], captioned: boolean) {
  const kinds: Record<string, number> = {};
  for (const a of annotations) kinds[a.type] = (kinds[a.type] ?? 0) + 1;
  return { instanceId, annotations: annotations.length, kinds, captioned };
}

/**
 * Marks an image of the case as a key image, or replaces its caption and annotations. Only those who may edit
 * the case (its author, co-authors, admins: lib/cases/visibility) may; the instance must belong to the case.
 * Residents receive key images only through pages that asked visibility for the full case (after the reveal).
 */
export async function saveKeyImage(db: Db, editor: Editor, caseId: string, input: unknown): Promise<KeyImageSaved | Forbidden | NotFound | Invalid> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  const parsed = keyImageInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { instanceId, caption, annotations } = parsed.data;
  const instance = await getInstanceCaseAndHold(db, instanceId);
  if (instance?.caseId !== caseId) return { ok: false, reason: "invalid", fieldErrors: { instanceId: ["This image is not part of the case"] } };
  // Residents never receive held images, so a key image on one would point them at nothing.
  if (instance.burnedInHold !== null) return { ok: false, reason: "invalid", fieldErrors: { instanceId: ["This image is held for review (possible burned-in text): blank it on the held-images page before marking it as a key image"] } };
  const row = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const { row, created } = await upsertKeyImage(t, caseId, instanceId, { caption, annotations });
    await recordAudit(t, { actorId: editor.id, action: created ? "case.key-image.add" : "case.key-image.update", entity: "case", entityId: caseId, detail: { fields: ["keyImages"], ...auditDetail(instanceId, annotations, caption.length > 0) } });
    return row;
  });
  return { ok: true, id: row.id, instanceId, caption: row.caption, annotations: row.annotations };
}

/** Unmarks a key image and drops its annotations; removing one that is not there is not an error. */
export async function removeKeyImage(db: Db, editor: Editor, caseId: string, instanceId: unknown): Promise<{ ok: true; removed: boolean } | Forbidden | NotFound | Invalid> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  const parsed = z.uuid().safeParse(instanceId);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: { instanceId: ["Choose an image of this case"] } };
  const removed = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const gone = await deleteKeyImageOnInstance(t, caseId, parsed.data);
    if (gone) await recordAudit(t, { actorId: editor.id, action: "case.key-image.remove", entity: "case", entityId: caseId, detail: { fields: ["keyImages"], instanceId: parsed.data } });
    return gone;
  });
  return { ok: true, removed };
}

/** The order an editor sends for a case's key images: every one of them, once, first to last. */
export const keyImageOrderSchema = z.object({
  order: z
    .array(z.uuid("Choose images of this case"))
    .min(1, "Send the key images in their new order")
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, "Name each key image once"),
});

/**
 * Reorders a case's key images (the order residents meet them in after the reveal). The order must name exactly the
 * key images the case has now; one changed meanwhile (another tab, a co-author) is refused, not half-applied.
 */
export async function reorderKeyImages(db: Db, editor: Editor, caseId: string, input: unknown): Promise<{ ok: true; order: string[] } | Forbidden | NotFound | Invalid> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  const parsed = keyImageOrderSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };
  const { order } = parsed.data;
  const changed = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const current = await listKeyImageOrder(t, caseId);
    if (current.length !== order.length || current.some((id) => !order.includes(id))) return true;
    await setKeyImageOrder(t, caseId, order);
    await recordAudit(t, { actorId: editor.id, action: "case.key-image.reorder", entity: "case", entityId: caseId, detail: { fields: ["keyImages"], from: current, to: order } });
    return false;
  });
  if (changed) return { ok: false, reason: "invalid", fieldErrors: { order: ["The key images changed meanwhile: reload the page and order them again"] } };
  return { ok: true, order };
}
