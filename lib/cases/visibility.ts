import type { CaseRow, Role } from "@/db/schema";
import { getPhase, type Phase } from "./lifecycle";

export type Viewer = { id: string; role: Role } | undefined;

/**
 * What a user may see of a case at a moment:
 * - `none`: the case does not exist for them (drafts and scheduled cases of others): pages answer 404.
 * - `public`: history, presentation and images; never the title, findings, diagnosis, discussion, key images or
 *   answer key.
 * - `full`: everything, including the answer (after the reveal, or for staff at any time).
 */
export type CaseAccess = {
  level: "none" | "public" | "full";
  phase: Phase;
  /** May edit the case: its author, a co-author, or an admin. */
  canEdit: boolean;
  /** May see the answer key itself (grading tools): staff only. */
  canSeeAnswerKey: boolean;
};

type CaseForAccess = Pick<CaseRow, "status" | "opensAt" | "closesAt" | "revealsAt" | "closedAt" | "revealedAt" | "authorId">;

/**
 * The one place that decides who sees what of a case. Every page, action and route asks it, and renders only
 * what it allows.
 */
export function getCaseAccess(c: CaseForAccess, viewer: Viewer, now: Date, coAuthorIds: readonly string[] = []): CaseAccess {
  const phase = getPhase(c, now);
  if (!viewer) return { level: "none", phase, canEdit: false, canSeeAnswerKey: false };
  const isAuthor = c.authorId === viewer.id || coAuthorIds.includes(viewer.id);
  const staff = viewer.role === "educator" || viewer.role === "admin";
  if (staff) {
    const canEdit = viewer.role === "admin" || isAuthor;
    return { level: "full", phase, canEdit, canSeeAnswerKey: true };
  }
  if (phase === "draft" || phase === "scheduled") return { level: "none", phase, canEdit: false, canSeeAnswerKey: false };
  if (phase === "revealed") return { level: "full", phase, canEdit: false, canSeeAnswerKey: false };
  return { level: "public", phase, canEdit: false, canSeeAnswerKey: false };
}

/** Images of a case may be served to anyone who may see the case at all. */
export function canSeeImages(access: CaseAccess): boolean {
  return access.level !== "none";
}
