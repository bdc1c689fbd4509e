import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getInstanceForServing } from "@/db/queries/cases";
import { getCurrentUser } from "@/lib/auth/session";
import type { ErrorCode } from "@/lib/http";
import { canSeeImages, getCaseAccess } from "./visibility";

const idSchema = z.string().uuid();

type Served = NonNullable<Awaited<ReturnType<typeof getInstanceForServing>>>;

/**
 * Resolves an instance for the image routes: signed in, the instance exists, and visibility lets this user see
 * the case's images now. Unknown and not-yet-visible instances look the same (404).
 */
export async function resolveServableInstance(instanceId: string): Promise<{ ok: true; instance: Served } | { ok: false; code: ErrorCode }> {
  if (!idSchema.safeParse(instanceId).success) return { ok: false, code: "not-found" };
  const user = await getCurrentUser();
  if (!user) return { ok: false, code: "unauthenticated" };
  const db = await getDb();
  const instance = await getInstanceForServing(db, instanceId);
  if (!instance) return { ok: false, code: "not-found" };
  // Co-authorship only decides editing, never seeing, so images skip that query (it runs per image).
  const access = getCaseAccess(instance.case, user, new Date());
  if (!canSeeImages(access)) return { ok: false, code: "not-found" };
  // An image held for review may still show burned-in identifying text: staff only, until it is cleaned.
  if (instance.burnedInHold !== null && user.role === "resident") return { ok: false, code: "not-found" };
  return { ok: true, instance };
}
