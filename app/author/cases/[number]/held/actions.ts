"use server";

// Server actions of the held-image review: each resolves the signed-in user and hands over to
// lib/cases/held-images, which checks that they may edit the case and writes the audit entry.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentUser, isStaff } from "@/lib/auth/session";
import { blankCaseImage, releaseCaseImage, removeCaseImage, type HeldImageResult } from "@/lib/cases/held-images";
import { getStorage } from "@/lib/storage";
import { forgetPreviews } from "@/lib/storage/preview-cache";

const signedOut = { ok: false, reason: "forbidden" } as const;
const idSchema = z.uuid();

async function editorFor(caseId: string, instanceId: string) {
  const user = await getCurrentUser();
  if (!user || !isStaff(user.role) || !idSchema.safeParse(caseId).success || !idSchema.safeParse(instanceId).success) return undefined;
  return user;
}

/** Blanks the rectangles (image pixels) in every frame and releases the hold. */
export async function blankImageAction(caseId: string, instanceId: string, rectangles: unknown): Promise<HeldImageResult> {
  const user = await editorFor(caseId, instanceId);
  if (!user) return signedOut;
  const result = await blankCaseImage(await getDb(), getStorage(), user, caseId, instanceId, rectangles, forgetPreviews);
  if (result.ok) revalidatePath("/author/cases/[number]/held", "page");
  return result;
}

/** Takes the image out of the case. */
export async function removeImageAction(caseId: string, instanceId: string): Promise<HeldImageResult> {
  const user = await editorFor(caseId, instanceId);
  if (!user) return signedOut;
  const result = await removeCaseImage(await getDb(), getStorage(), user, caseId, instanceId, forgetPreviews);
  if (result.ok) revalidatePath("/author/cases/[number]/held", "page");
  return result;
}

/** Releases the image unchanged: the educator checked it shows no identifying text. */
export async function releaseImageAction(caseId: string, instanceId: string): Promise<HeldImageResult> {
  const user = await editorFor(caseId, instanceId);
  if (!user) return signedOut;
  const result = await releaseCaseImage(await getDb(), user, caseId, instanceId);
  if (result.ok) revalidatePath("/author/cases/[number]/held", "page");
  return result;
}
