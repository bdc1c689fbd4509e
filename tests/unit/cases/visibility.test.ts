import { describe, expect, it } from "vitest";
import { getNextTransition, getPhase } from "@/lib/cases/lifecycle";
import { canSeeImages, getCaseAccess } from "@/lib/cases/visibility";

const day = 86_400_000;
const now = new Date("2026-11-22T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * day);

const schedule = (opens: number, closes: number, reveals: number, extra: Partial<{ status: "draft" | "published"; closedAt: Date | null; revealedAt: Date | null; authorId: string | null }> = {}) => ({
  status: "published" as const,
  opensAt: at(opens),
  closesAt: at(closes),
  revealsAt: at(reveals),
  closedAt: null,
  revealedAt: null,
  authorId: "author-1",
  ...extra,
});

const resident = { id: "res-1", role: "resident" as const };
const educator = { id: "edu-2", role: "educator" as const };
const author = { id: "author-1", role: "educator" as const };
const admin = { id: "adm-1", role: "admin" as const };

describe("case lifecycle", () => {
  it("follows the schedule: scheduled, open, closed, revealed", () => {
    expect(getPhase(schedule(1, 5, 6), now)).toBe("scheduled");
    expect(getPhase(schedule(-1, 5, 6), now)).toBe("open");
    expect(getPhase(schedule(-5, -1, 6), now)).toBe("closed");
    expect(getPhase(schedule(-5, -2, -1), now)).toBe("revealed");
  });

  it("treats a draft as a draft whatever its schedule", () => {
    expect(getPhase(schedule(-5, -2, -1, { status: "draft" }), now)).toBe("draft");
  });

  it("lets an educator close and reveal ahead of the schedule", () => {
    expect(getPhase(schedule(-1, 5, 6, { closedAt: at(-0.1) }), now)).toBe("closed");
    expect(getPhase(schedule(-1, 5, 6, { revealedAt: at(-0.1) }), now)).toBe("revealed");
  });

  it("names the next transition for the countdown", () => {
    expect(getNextTransition(schedule(-1, 5, 6), now)).toEqual({ phase: "closed", at: at(5) });
    expect(getNextTransition(schedule(-5, -2, -1), now)).toBeUndefined();
  });
});

describe("case visibility", () => {
  it("hides drafts and scheduled cases from residents entirely", () => {
    expect(getCaseAccess(schedule(1, 5, 6), resident, now).level).toBe("none");
    expect(getCaseAccess(schedule(-5, -2, -1, { status: "draft" }), resident, now).level).toBe("none");
  });

  it("shows residents only the public part of open and closed cases", () => {
    for (const c of [schedule(-1, 5, 6), schedule(-5, -1, 6)]) {
      const access = getCaseAccess(c, resident, now);
      expect(access).toMatchObject({ level: "public", canEdit: false, canSeeAnswerKey: false });
      expect(canSeeImages(access)).toBe(true);
    }
  });

  it("shows residents everything but the answer key after the reveal", () => {
    expect(getCaseAccess(schedule(-5, -2, -1), resident, now)).toMatchObject({ level: "full", canSeeAnswerKey: false });
  });

  it("shows staff everything at any time, and lets only authors, co-authors and admins edit", () => {
    const open = schedule(-1, 5, 6);
    expect(getCaseAccess(open, educator, now)).toMatchObject({ level: "full", canEdit: false, canSeeAnswerKey: true });
    expect(getCaseAccess(open, author, now).canEdit).toBe(true);
    expect(getCaseAccess(open, educator, now, ["edu-2"]).canEdit).toBe(true);
    expect(getCaseAccess(open, admin, now).canEdit).toBe(true);
  });

  it("shows nothing to someone not signed in", () => {
    expect(getCaseAccess(schedule(-5, -2, -1), undefined, now).level).toBe("none");
  });
});
