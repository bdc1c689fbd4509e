"use server";

// Server actions of the case editor: each resolves the signed-in user and hands over to lib/cases/editor, which
// asks lib/cases/visibility whether they may edit and audits the change.
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import {
  addCoAuthor,
  createCase,
  deleteDraft,
  removeCoAuthor,
  saveCase,
  setManualMoment,
  setSchedule,
  type CoAuthorResult,
  type EditResult,
} from "@/lib/cases/editor";
import { gradeAnswer, type GradeResult } from "@/lib/grading";
import { renderMarkdown } from "@/lib/markdown";
import { renameSeries } from "@/lib/cases/series-names";

const signedOut = { ok: false, reason: "forbidden" } as const;
const idSchema = z.uuid();
const versionSchema = z.string().regex(/^\d+(?:\.\d+)?$/);

async function staff() {
  const user = await getCurrentUser();
  return user && isStaff(user.role) ? user : undefined;
}

export type NewCaseState = { fieldErrors?: Record<string, string[]>; title?: string; slug?: string };

/** The "New case" form: creates a draft and opens it in the editor. */
export async function createCaseAction(_prev: NewCaseState, form: FormData): Promise<NewCaseState> {
  const user = await staff();
  if (!user) return { fieldErrors: { "(form)": ["Only educators and admins create cases"] } };
  const title = String(form.get("title") ?? "");
  const slug = String(form.get("slug") ?? "");
  const result = await createCase(await getDb(), user, { title, slug });
  if (!result.ok) return { fieldErrors: result.reason === "invalid" ? result.fieldErrors : { "(form)": ["Not allowed"] }, title, slug };
  revalidatePath("/author");
  redirect(`/author/cases/${result.number}`);
}

/** Autosave and explicit save of the whole document. */
export async function saveCaseAction(caseId: string, version: string, doc: unknown): Promise<EditResult> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success || !versionSchema.safeParse(version).success) return signedOut;
  // No revalidatePath here: it would make the router refetch the editor page mid-typing. Authoring pages are
  // dynamic, so the dashboard reads fresh rows anyway.
  return saveCase(await getDb(), user, caseId, version, doc);
}

export async function setScheduleAction(caseId: string, version: string, schedule: unknown): Promise<EditResult> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success || !versionSchema.safeParse(version).success) return signedOut;
  return setSchedule(await getDb(), user, caseId, version, schedule);
}

export async function manualMomentAction(caseId: string, version: string, which: "close" | "reveal", undo: boolean): Promise<EditResult> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success || !versionSchema.safeParse(version).success) return signedOut;
  if (which !== "close" && which !== "reveal") return signedOut;
  return setManualMoment(await getDb(), user, caseId, version, which, undo === true);
}

export async function addCoAuthorAction(caseId: string, email: string): Promise<CoAuthorResult> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success) return signedOut;
  return addCoAuthor(await getDb(), user, caseId, { email });
}

export async function removeCoAuthorAction(caseId: string, userId: string): Promise<CoAuthorResult> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success || !idSchema.safeParse(userId).success) return signedOut;
  return removeCoAuthor(await getDb(), user, caseId, userId);
}

export async function deleteDraftAction(caseId: string): Promise<{ ok: false; message: string } | never> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success) return { ok: false, message: "Not allowed" };
  const result = await deleteDraft(await getDb(), user, caseId);
  if (!result.ok) return { ok: false, message: result.reason === "invalid" ? Object.values(result.fieldErrors).flat().join("; ") : "Not allowed" };
  revalidatePath("/author");
  redirect("/author");
}

const markdownInput = z.string().max(50_000);

/** Live preview of a markdown field, through the same sanitiser as the published page. */
export async function previewMarkdownAction(source: string): Promise<string> {
  if (!(await staff())) return "";
  const parsed = markdownInput.safeParse(source);
  return parsed.success ? renderMarkdown(parsed.data) : "";
}

const tryKeySchema = z.object({
  diagnosis: z.string().max(200),
  synonyms: z.array(z.string().max(200)).max(50),
  partial: z.array(z.string().max(200)).max(50),
  reject: z.array(z.string().max(200)).max(50),
});

export type TryAnswerResult = { ok: true; result: GradeResult } | { ok: false; message: string };

/** Grades a trial answer against the key as it stands in the editor (saved or not). */
export async function tryAnswerAction(key: unknown, answer: string): Promise<TryAnswerResult> {
  if (!(await staff())) return { ok: false, message: "Not allowed" };
  const parsed = tryKeySchema.safeParse(key);
  if (!parsed.success) return { ok: false, message: "The key is malformed" };
  const clean = (xs: string[]) => xs.map((s) => s.trim()).filter(Boolean);
  const k = { diagnosis: parsed.data.diagnosis.trim(), synonyms: clean(parsed.data.synonyms), partial: clean(parsed.data.partial), reject: clean(parsed.data.reject) };
  if (!k.diagnosis) return { ok: false, message: "Write the key's diagnosis first" };
  return { ok: true, result: gradeAnswer(String(answer).slice(0, 500), k) };
}

/** Renames one series of the case (the description residents see in the viewer). */
export async function renameSeriesAction(caseId: string, input: unknown): Promise<Awaited<ReturnType<typeof renameSeries>>> {
  const user = await staff();
  if (!user || !idSchema.safeParse(caseId).success) return signedOut;
  return renameSeries(await getDb(), user, caseId, input);
}
