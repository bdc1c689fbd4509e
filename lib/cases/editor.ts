import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import {
  addCaseAuthor,
  claimCaseVersion,
  countCaseSubmissions,
  deleteCase,
  getCaseForEditing,
  getCaseVersion,
  insertDraftCase,
  isSlugTaken,
  listExistingCollectionIds,
  removeCaseAuthor,
  setCaseCollections,
  upsertAnswerKey,
  upsertCaseContent,
  type CaseForEditing,
} from "@/db/queries/case-editing";
import { countHeldImages } from "@/db/queries/held-images";
import { getUserByEmail } from "@/db/queries/users";
import type { Role } from "@/db/schema";
import { answerKeySchema } from "@/lib/grading/answer-key";
import { ageBuckets } from "./bundle-schema";
import { getPhase, type Phase } from "./lifecycle";
import { getCaseAccess } from "./visibility";

/** Who is editing. */
export type Editor = { id: string; role: Role };

/* ------------------------------------------------------------------ schemas (the edge of every action) */

export const slugSchema = z
  .string()
  .trim()
  .min(1, "Enter a slug")
  .max(80, "Use at most 80 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes");

const line = (max: number) => z.string().trim().max(max, `Use at most ${max} characters`);
const markdown = z.string().trim().max(50_000, "Use at most 50,000 characters");
/** Lists typed one item a row: blank rows are dropped rather than refused, so a half-typed list still saves. */
const lines = (max: number, itemMax: number) =>
  z
    .array(z.string())
    .max(max, `Use at most ${max} entries`)
    .transform((items) => items.map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(itemMax, `Use at most ${itemMax} characters per entry`)));
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.enum(values), z.literal("")]).transform((v) => (v === "" ? null : v));

export const sexes = ["F", "M", "O", "U"] as const;

/**
 * Every field an author edits, as the editor sends it on each (auto)save. Drafts may be incomplete: what a case
 * needs before it may be published is checked by {@link publishProblems}, not here.
 */
export const caseDocumentSchema = z.object({
  title: line(200).min(1, "Enter a title (the diagnosis as a title)"),
  slug: slugSchema,
  summary: line(160),
  ageBucket: optionalEnum(ageBuckets),
  sex: optionalEnum(sexes),
  history: markdown,
  tags: lines(30, 40),
  modalities: lines(10, 10).transform((items) => [...new Set(items.map((m) => m.toUpperCase()))]),
  bodyRegion: line(40),
  difficulty: z.union([z.number().int().min(1, "Use 1 to 5").max(5, "Use 1 to 5"), z.null()]),
  findings: markdown,
  diagnosis: markdown,
  differential: z
    .array(z.object({ diagnosis: z.string(), whyLessLikely: z.string() }))
    .max(30, "Use at most 30 rows")
    .transform((rows) => rows.map((r) => ({ diagnosis: r.diagnosis.trim(), whyLessLikely: r.whyLessLikely.trim() })).filter((r) => r.diagnosis || r.whyLessLikely))
    .pipe(z.array(z.object({ diagnosis: z.string().min(1, "Name the diagnosis of this row").max(200), whyLessLikely: z.string().max(2000) }))),
  discussion: markdown,
  learningPoints: lines(30, 1000),
  confirmation: markdown,
  references: lines(50, 1000),
  revealTags: lines(30, 40),
  answerKey: z.object({
    diagnosis: answerKeySchema.shape.diagnosis.max(200),
    synonyms: lines(50, 200),
    partial: lines(50, 200),
    reject: lines(50, 200),
  }),
  collectionIds: z.array(z.uuid()).max(50),
});
export type CaseDocument = z.output<typeof caseDocumentSchema>;
export type CaseDocumentInput = z.input<typeof caseDocumentSchema>;

/** The editable fields, in the order the audit diff and the editor list them. */
export const documentFields = Object.keys(caseDocumentSchema.shape) as (keyof CaseDocument)[];

const isoMoment = z.union([z.iso.datetime({ offset: true, message: "Use a date and time" }), z.literal(""), z.null()]).transform((v) => (v ? new Date(v) : null));

/** The schedule as the editor sends it: UTC ISO strings (the browser converted from local time), or empty. */
export const scheduleSchema = z
  .object({ status: z.enum(["draft", "published"]), opensAt: isoMoment, closesAt: isoMoment, revealsAt: isoMoment })
  .superRefine((s, ctx) => {
    // zod runs this refinement even when a moment failed to parse; such a moment already has its own issue.
    const t = (d: unknown) => (d instanceof Date ? d.getTime() : undefined);
    const [o, c, r] = [t(s.opensAt), t(s.closesAt), t(s.revealsAt)];
    if (o !== undefined && c !== undefined && c <= o) ctx.addIssue({ code: "custom", path: ["closesAt"], message: "Closes must be after opens" });
    if (c !== undefined && r !== undefined && r < c) ctx.addIssue({ code: "custom", path: ["revealsAt"], message: "Reveals must not be before closes" });
    if (o !== undefined && r !== undefined && c === undefined && r <= o) ctx.addIssue({ code: "custom", path: ["revealsAt"], message: "Reveals must be after opens" });
    if (s.status === "published" && s.opensAt === null) ctx.addIssue({ code: "custom", path: ["opensAt"], message: "A published case needs an opening time" });
  });
export type ScheduleInput = z.input<typeof scheduleSchema>;

export const newCaseSchema = z.object({ title: line(200).min(1, "Enter a title (the diagnosis as a title)"), slug: z.union([slugSchema, z.literal("")]).optional() });

export const coAuthorSchema = z.object({ email: z.string().trim().pipe(z.email("Enter an email address")) });

/* ------------------------------------------------------------------ pure helpers */

/** "Paraspinal EMH (active)" -> "paraspinal-emh-active": a slug proposal from a title. */
export function slugFromTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/** zod issues as `{ "answerKey.diagnosis": ["Enter …"] }`: every message names its field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "(form)";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** The document of a case as stored, in the shape the editor edits. */
export function documentOf(e: CaseForEditing): CaseDocument {
  const c = e.case;
  return {
    title: e.content?.title ?? "",
    slug: c.slug,
    summary: c.summary,
    ageBucket: (c.ageBucket as CaseDocument["ageBucket"]) ?? null,
    sex: (c.sex as CaseDocument["sex"]) ?? null,
    history: c.history,
    tags: c.tags,
    modalities: c.modalities,
    bodyRegion: c.bodyRegion ?? "",
    difficulty: c.difficulty,
    findings: e.content?.findings ?? "",
    diagnosis: e.content?.diagnosis ?? "",
    differential: e.content?.differential ?? [],
    discussion: e.content?.discussion ?? "",
    learningPoints: e.content?.learningPoints ?? [],
    confirmation: e.content?.confirmation ?? "",
    references: e.content?.references ?? [],
    revealTags: e.content?.revealTags ?? [],
    answerKey: {
      diagnosis: e.answerKey?.diagnosis ?? "",
      synonyms: e.answerKey?.synonyms ?? [],
      partial: e.answerKey?.partial ?? [],
      reject: e.answerKey?.reject ?? [],
    },
    collectionIds: [...e.collectionIds].sort(),
  };
}

/** Names of the fields that differ: the compact diff the audit log keeps (never the hidden values themselves). */
export function changedFields(before: CaseDocument, after: CaseDocument): string[] {
  const changed: string[] = [];
  for (const field of documentFields) {
    if (field === "answerKey") {
      for (const k of ["diagnosis", "synonyms", "partial", "reject"] as const) {
        if (JSON.stringify(before.answerKey[k]) !== JSON.stringify(after.answerKey[k])) changed.push(`answerKey.${k}`);
      }
      continue;
    }
    const a = field === "collectionIds" ? [...before.collectionIds].sort() : before[field];
    const b = field === "collectionIds" ? [...after.collectionIds].sort() : after[field];
    if (JSON.stringify(a) !== JSON.stringify(b)) changed.push(field);
  }
  return changed;
}

/** What a case still lacks before residents may see it; each entry names its field. */
export function publishProblems(doc: CaseDocument): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) (problems[field] ??= []).push(message);
  };
  need(doc.summary.length > 0, "summary", "Write a one-line summary");
  need(doc.ageBucket !== null, "ageBucket", "Choose an age bucket");
  need(doc.sex !== null, "sex", "Choose the sex");
  need(doc.history.length > 0, "history", "Write the history");
  need(doc.modalities.length > 0, "modalities", "Name at least one modality");
  need(doc.bodyRegion.length > 0, "bodyRegion", "Name the region");
  need(doc.difficulty !== null, "difficulty", "Choose a difficulty");
  need(doc.answerKey.diagnosis.length > 0, "answerKey.diagnosis", "Write the answer key's diagnosis");
  return problems;
}

/* ------------------------------------------------------------------ results */

export type Forbidden = { ok: false; reason: "forbidden" };
export type NotFound = { ok: false; reason: "not-found" };
export type Invalid = { ok: false; reason: "invalid"; fieldErrors: Record<string, string[]> };
export type Conflict = { ok: false; reason: "conflict"; version: string; updatedAt: string };
export type Saved = { ok: true; version: string; changed: string[]; phase: Phase };
export type EditResult = Saved | Forbidden | NotFound | Invalid | Conflict;

const forbidden: Forbidden = { ok: false, reason: "forbidden" };
const notFound: NotFound = { ok: false, reason: "not-found" };
const invalid = (fieldErrors: Record<string, string[]>): Invalid => ({ ok: false, reason: "invalid", fieldErrors });

class ConflictSignal extends Error {}

/**
 * Loads a case for an editor and asks lib/cases/visibility whether they may edit it: authors, co-authors and
 * admins may; anyone else gets `forbidden` (and a missing case `not-found`).
 */
export async function loadEditableCase(db: Db, editor: Editor, caseId: string, now = new Date()): Promise<CaseForEditing | Forbidden | NotFound> {
  const loaded = await getCaseForEditing(db, caseId);
  if (!loaded) return notFound;
  const access = getCaseAccess(loaded.case, editor, now, loaded.coAuthors.map((a) => a.id));
  return access.canEdit ? loaded : forbidden;
}

const isFailure = (x: unknown): x is Forbidden | NotFound => typeof x === "object" && x !== null && "ok" in x && (x as { ok: boolean }).ok === false;

async function conflictOf(db: Db, caseId: string): Promise<Conflict> {
  const current = await getCaseVersion(db, caseId);
  return { ok: false, reason: "conflict", version: current?.version ?? "", updatedAt: current?.updatedAt.toISOString() ?? "" };
}

/**
 * Runs `work` in a transaction after claiming the case's version: if another editor saved since `version`, nothing
 * is written and the caller gets a `conflict` with the current version.
 */
async function withVersion<T>(db: Db, caseId: string, version: string, patch: Parameters<typeof claimCaseVersion>[3], work: (tx: Db, newVersion: string) => Promise<T>): Promise<T | Conflict> {
  try {
    return await db.transaction(async (tx) => {
      const newVersion = await claimCaseVersion(tx as unknown as Db, caseId, version, patch);
      if (!newVersion) throw new ConflictSignal();
      return work(tx as unknown as Db, newVersion);
    });
  } catch (error) {
    if (error instanceof ConflictSignal) return conflictOf(db, caseId);
    throw error;
  }
}

/* ------------------------------------------------------------------ actions */

/**
 * Creates a draft with the next case number and a slug from the title (or the one given). The creator is its
 * author; only educators and admins may create cases.
 */
export async function createCase(db: Db, editor: Editor, input: unknown): Promise<{ ok: true; id: string; number: number; slug: string } | Forbidden | Invalid> {
  if (editor.role !== "educator" && editor.role !== "admin") return forbidden;
  const parsed = newCaseSchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const base = parsed.data.slug || slugFromTitle(parsed.data.title) || "case";
  if (parsed.data.slug && (await isSlugTaken(db, base))) return invalid({ slug: ["This slug is taken by another case"] });
  // A proposed slug that is taken gets a numeric suffix; a slug the author typed must be unique as typed.
  let slug = base;
  for (let i = 2; await isSlugTaken(db, slug); i++) slug = `${base.slice(0, 75)}-${i}`;
  const row = await db.transaction(async (tx) => {
    const created = await insertDraftCase(tx as unknown as Db, { slug, title: parsed.data.title, authorId: editor.id });
    await recordAudit(tx as unknown as Db, { actorId: editor.id, action: "case.create", entity: "case", entityId: created.id, detail: { number: created.number } });
    return created;
  });
  return { ok: true, id: row.id, number: row.number, slug };
}

/**
 * Saves the whole document of a case if it is still at `version`. Writes only what changed and audits the names
 * of the changed fields. Validation errors name their fields (`answerKey.diagnosis`, `differential.0.diagnosis`).
 */
export async function saveCase(db: Db, editor: Editor, caseId: string, version: string, input: unknown, now = new Date()): Promise<EditResult> {
  const loaded = await loadEditableCase(db, editor, caseId, now);
  if (isFailure(loaded)) return loaded;
  const parsed = caseDocumentSchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const doc = parsed.data;
  if (doc.slug !== loaded.case.slug && (await isSlugTaken(db, doc.slug, caseId))) return invalid({ slug: ["This slug is taken by another case"] });
  const existing = new Set(await listExistingCollectionIds(db, doc.collectionIds));
  const unknown = doc.collectionIds.filter((id) => !existing.has(id));
  if (unknown.length) return invalid({ collectionIds: ["Unknown collection"] });
  // A published case must stay publishable: an autosave may not empty a field residents already see.
  if (loaded.case.status === "published") {
    const problems = publishProblems(doc);
    if (Object.keys(problems).length) return invalid(problems);
  }

  const before = documentOf(loaded);
  const changed = changedFields(before, doc);
  // Nothing to write: the editor already shows what is stored, so it may simply adopt the current version.
  if (changed.length === 0) return { ok: true, version: loaded.version, changed, phase: getPhase(loaded.case, now) };
  const result = await withVersion(
    db,
    caseId,
    version,
    {
      slug: doc.slug,
      summary: doc.summary,
      ageBucket: doc.ageBucket,
      sex: doc.sex,
      history: doc.history,
      tags: doc.tags,
      modalities: doc.modalities,
      bodyRegion: doc.bodyRegion || null,
      difficulty: doc.difficulty,
    },
    async (tx, newVersion) => {
      if (changed.some((f) => ["title", "findings", "diagnosis", "differential", "discussion", "learningPoints", "confirmation", "references", "revealTags"].includes(f))) {
        await upsertCaseContent(tx, caseId, {
          title: doc.title,
          findings: doc.findings,
          diagnosis: doc.diagnosis,
          differential: doc.differential,
          discussion: doc.discussion,
          learningPoints: doc.learningPoints,
          confirmation: doc.confirmation,
          references: doc.references,
          revealTags: doc.revealTags,
        });
      }
      if (changed.some((f) => f.startsWith("answerKey."))) await upsertAnswerKey(tx, caseId, doc.answerKey);
      if (changed.includes("collectionIds")) await setCaseCollections(tx, caseId, doc.collectionIds);
      await recordAudit(tx, { actorId: editor.id, action: "case.update", entity: "case", entityId: caseId, detail: { fields: changed } });
      return newVersion;
    },
  );
  if (typeof result !== "string") return result;
  return { ok: true, version: result, changed, phase: getPhase(loaded.case, now) };
}

/**
 * Sets the status and the schedule (UTC). Publishing checks that the case is complete; the audit entry keeps
 * the old and new schedule, which is public information.
 */
export async function setSchedule(db: Db, editor: Editor, caseId: string, version: string, input: unknown, now = new Date()): Promise<EditResult> {
  const loaded = await loadEditableCase(db, editor, caseId, now);
  if (isFailure(loaded)) return loaded;
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const s = parsed.data;
  if (s.status === "published") {
    const problems = publishProblems(documentOf(loaded));
    if (Object.keys(problems).length) return invalid({ status: ["Complete the case before publishing it"], ...problems });
    const held = await countHeldImages(db, caseId);
    if (held > 0) return invalid({ status: [`${held} ${held === 1 ? "image is" : "images are"} held for review (possible burned-in text): blank or remove ${held === 1 ? "it" : "them"} before publishing`] });
  }
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const c = loaded.case;
  const changed = (
    [
      ["status", c.status, s.status],
      ["opensAt", iso(c.opensAt), iso(s.opensAt)],
      ["closesAt", iso(c.closesAt), iso(s.closesAt)],
      ["revealsAt", iso(c.revealsAt), iso(s.revealsAt)],
    ] as const
  ).filter(([, a, b]) => a !== b);
  const detail = Object.fromEntries(changed.map(([f, a, b]) => [f, { from: a, to: b }]));
  const result = await withVersion(db, caseId, version, { status: s.status, opensAt: s.opensAt, closesAt: s.closesAt, revealsAt: s.revealsAt }, async (tx, v) => {
    if (changed.length) await recordAudit(tx, { actorId: editor.id, action: "case.schedule", entity: "case", entityId: caseId, detail: { fields: changed.map(([f]) => f), ...detail } });
    return v;
  });
  if (typeof result !== "string") return result;
  return { ok: true, version: result, changed: changed.map(([f]) => f), phase: getPhase({ ...c, status: s.status, opensAt: s.opensAt, closesAt: s.closesAt, revealsAt: s.revealsAt }, now) };
}

/**
 * Manual close ("stop taking answers now") or reveal ("show the answer now"), ahead of the schedule; `undo`
 * clears the manual moment so the schedule rules again. Only published cases can be closed or revealed.
 */
export async function setManualMoment(db: Db, editor: Editor, caseId: string, version: string, which: "close" | "reveal", undo = false, now = new Date()): Promise<EditResult> {
  const loaded = await loadEditableCase(db, editor, caseId, now);
  if (isFailure(loaded)) return loaded;
  const c = loaded.case;
  if (c.status !== "published") return invalid({ status: ["Publish the case before closing or revealing it"] });
  const patch =
    which === "close"
      ? { closedAt: undo ? null : now, ...(undo ? { revealedAt: null } : {}) }
      : { revealedAt: undo ? null : now, ...(!undo && !c.closedAt ? { closedAt: now } : {}) };
  const action = `case.${undo ? "un" : ""}${which === "close" ? "close" : "reveal"}`;
  const result = await withVersion(db, caseId, version, patch, async (tx, v) => {
    await recordAudit(tx, { actorId: editor.id, action, entity: "case", entityId: caseId, detail: { fields: Object.keys(patch), at: now.toISOString() } });
    return v;
  });
  if (typeof result !== "string") return result;
  return { ok: true, version: result, changed: Object.keys(patch), phase: getPhase({ ...c, ...patch }, now) };
}

export type CoAuthorResult = { ok: true; coAuthors: CaseForEditing["coAuthors"] } | Forbidden | NotFound | Invalid;

/** Shares a case with another educator (or admin) by email. Residents cannot be co-authors. */
export async function addCoAuthor(db: Db, editor: Editor, caseId: string, input: unknown): Promise<CoAuthorResult> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  const parsed = coAuthorSchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsOf(parsed.error));
  const user = await getUserByEmail(db, parsed.data.email);
  if (!user) return invalid({ email: ["No account has this email"] });
  if (user.role === "resident") return invalid({ email: ["Residents cannot co-author cases"] });
  if (user.id === loaded.case.authorId) return invalid({ email: ["This is the case's author"] });
  if (await addCaseAuthor(db, caseId, user.id)) {
    await recordAudit(db, { actorId: editor.id, action: "case.co-author.add", entity: "case", entityId: caseId, detail: { fields: ["coAuthors"], userId: user.id } });
  }
  const after = await getCaseForEditing(db, caseId);
  return { ok: true, coAuthors: after?.coAuthors ?? [] };
}

/** Stops sharing a case with a co-author. */
export async function removeCoAuthor(db: Db, editor: Editor, caseId: string, userId: string): Promise<CoAuthorResult> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  if (await removeCaseAuthor(db, caseId, userId)) {
    await recordAudit(db, { actorId: editor.id, action: "case.co-author.remove", entity: "case", entityId: caseId, detail: { fields: ["coAuthors"], userId } });
  }
  const after = await getCaseForEditing(db, caseId);
  return { ok: true, coAuthors: after?.coAuthors ?? [] };
}

/** Deletes a draft nobody has answered; published cases and answered drafts stay (unpublish instead). */
export async function deleteDraft(db: Db, editor: Editor, caseId: string): Promise<{ ok: true } | Forbidden | NotFound | Invalid> {
  const loaded = await loadEditableCase(db, editor, caseId);
  if (isFailure(loaded)) return loaded;
  if (loaded.case.status !== "draft") return invalid({ status: ["Only drafts can be deleted"] });
  if ((await countCaseSubmissions(db, caseId)) > 0) return invalid({ status: ["This case has answers; it cannot be deleted"] });
  await db.transaction(async (tx) => {
    await deleteCase(tx as unknown as Db, caseId);
    await recordAudit(tx as unknown as Db, { actorId: editor.id, action: "case.delete", entity: "case", entityId: caseId, detail: { number: loaded.case.number, slug: loaded.case.slug } });
  });
  return { ok: true };
}
