import "server-only";
import path from "node:path";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { listCoAuthorIds } from "@/db/queries/cases";
import { getOrCreateSecretSetting } from "@/db/queries/settings";
import { cases } from "@/db/schema";
import { getCurrentUser, isStaff, type CurrentUser } from "@/lib/auth/session";
import { getCaseAccess } from "@/lib/cases/visibility";
import { getEnv } from "@/lib/env";
import { errorResponse } from "@/lib/http";
import { getStorage } from "@/lib/storage";
import { removeUnreferencedBlobs } from "./case-images";
import { previewCommit } from "./commit";
import { UploadError } from "./errors";
import type { UploadManifest } from "./manifest";
import { processingProgress } from "./process";
import { loadUpload, sweepStaleUploads } from "./staging";
import { toUploadView, type UploadView } from "./view";

/** `<CASEBOOK_DATA_DIR>/uploads`: where upload sessions are staged. */
export function uploadsRoot(): string {
  return path.join(getEnv().dataDir, "uploads");
}

const caseIdSchema = z.string().uuid();

/**
 * The server-side check of every upload route: signed in, educator or admin, and allowed to edit the case
 * (lib/cases/visibility decides). Unknown cases answer 404.
 */
export async function authorizeCaseUpload(caseId: unknown): Promise<{ user: CurrentUser; db: Db; caseId: string }> {
  const user = await getCurrentUser();
  if (!user) throw new UploadError("unauthenticated", "Sign in first.");
  if (!isStaff(user.role)) throw new UploadError("forbidden", "Only educators and admins upload images.");
  const parsed = caseIdSchema.safeParse(caseId);
  if (!parsed.success) throw new UploadError("bad-request", "caseId must be a case id.");
  const db = await getDb();
  const [row] = await db.select().from(cases).where(eq(cases.id, parsed.data)).limit(1);
  if (!row) throw new UploadError("not-found", "No such case.");
  const access = getCaseAccess(row, user, new Date(), await listCoAuthorIds(db, row.id));
  if (!access.canEdit) throw new UploadError("forbidden", "You may not edit this case.");
  return { user, db, caseId: row.id };
}

/** Loads a session for its owner (or an admin) who may still edit its case; others get 404. */
export async function authorizeUpload(uploadId: string): Promise<{ user: CurrentUser; db: Db; manifest: UploadManifest }> {
  const user = await getCurrentUser();
  if (!user) throw new UploadError("unauthenticated", "Sign in first.");
  const manifest = await loadUpload(uploadsRoot(), uploadId);
  if (manifest.userId !== user.id && user.role !== "admin") throw new UploadError("not-found", "No such upload.");
  const { db } = await authorizeCaseUpload(manifest.caseId);
  return { user, db, manifest };
}

/** Removes stale sessions, releasing blobs a crashed commit left behind. */
export async function sweepUploads(db: Db): Promise<void> {
  const storage = getStorage();
  await sweepStaleUploads(uploadsRoot(), { releaseBlobs: (keys) => removeUnreferencedBlobs(db, storage, keys) });
}

export function getUidSalt(db: Db): Promise<string> {
  return getOrCreateSecretSetting(db, "deid.uid-salt");
}

/** The page's view of a session, grouped against what its case holds now. */
export async function viewUpload(db: Db, manifest: UploadManifest): Promise<UploadView> {
  const studies = manifest.state === "ready" || manifest.state === "committing" ? await previewCommit(db, manifest.files, manifest.caseId) : [];
  return toUploadView(manifest, studies, processingProgress.get(manifest.id) ?? null);
}

/** Expected refusals become their status; anything else is logged and answered 500 without internals. */
export function uploadErrorResponse(error: unknown): Response {
  if (error instanceof UploadError) return errorResponse(error.code, error.message);
  console.error("upload route failed", error);
  return errorResponse("internal");
}
