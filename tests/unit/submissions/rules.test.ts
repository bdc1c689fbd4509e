import { describe, expect, it } from "vitest";
import { decideMode, effectiveDeadline, formatUtc, rankedAnswersSchema, storedScore, submitAnswerSchema } from "@/lib/submissions/rules";

const schedule = { closesAt: new Date("2026-05-01T17:00:00Z"), closedAt: null };

describe("rankedAnswersSchema", () => {
  it("trims, collapses spaces and drops blank boxes, keeping the rank order", () => {
    expect(rankedAnswersSchema.parse(["  EMH ", "", "schwannoma   vs  lymphoma"])).toEqual(["EMH", "schwannoma vs lymphoma"]);
  });
  it("refuses an empty differential", () => {
    expect(rankedAnswersSchema.safeParse(["", " "]).success).toBe(false);
    expect(rankedAnswersSchema.safeParse([]).success).toBe(false);
  });
  it("accepts 500 characters and refuses 501", () => {
    expect(rankedAnswersSchema.safeParse(["a".repeat(500)]).success).toBe(true);
    const r = rankedAnswersSchema.safeParse(["a".repeat(501)]);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("Each diagnosis may have at most 500 characters");
  });
  it("refuses more than three diagnoses and repeats (ignoring case)", () => {
    expect(rankedAnswersSchema.safeParse(["a", "b", "c", "d"]).success).toBe(false);
    expect(rankedAnswersSchema.safeParse(["EMH", "emh"]).success).toBe(false);
  });
  it("strips what the client may not decide (its clock, a verdict)", () => {
    const parsed = submitAnswerSchema.parse({ caseId: "00000000-0000-4000-8000-000000000001", answers: ["x"], submittedAt: "2000-01-01", verdict: "correct" });
    expect(Object.keys(parsed).sort()).toEqual(["answers", "caseId"]);
  });
});

describe("decideMode", () => {
  it("takes competition entries while open and practice entries after the reveal", () => {
    expect(decideMode("open", schedule)).toEqual({ ok: true, mode: "competition" });
    expect(decideMode("revealed", schedule)).toEqual({ ok: true, mode: "practice" });
  });
  it("refuses after the deadline with the date, in UTC", () => {
    expect(decideMode("closed", schedule)).toEqual({ ok: false, refusal: { code: "closed", message: "The deadline passed on 2026-05-01 17:00 UTC; this case is closed." } });
  });
  it("uses an earlier manual close as the deadline", () => {
    const manual = { closesAt: schedule.closesAt, closedAt: new Date("2026-04-30T08:15:00Z") };
    expect(effectiveDeadline(manual)?.toISOString()).toBe("2026-04-30T08:15:00.000Z");
  });
  it("refuses unopened cases, group practice, practice while open, competition after reveal, and staff competing", () => {
    expect(decideMode("draft", schedule)).toMatchObject({ ok: false, refusal: { code: "not-open" } });
    expect(decideMode("scheduled", schedule)).toMatchObject({ ok: false, refusal: { code: "not-open" } });
    expect(decideMode("revealed", schedule, { group: true })).toMatchObject({ ok: false, refusal: { code: "group-practice" } });
    expect(decideMode("open", schedule, { requested: "practice" })).toMatchObject({ ok: false, refusal: { code: "not-practice" } });
    expect(decideMode("revealed", schedule, { requested: "competition" })).toMatchObject({ ok: false, refusal: { code: "practice-only" } });
    expect(decideMode("open", schedule, { staff: true })).toMatchObject({ ok: false, refusal: { code: "staff" } });
  });
});

describe("small rules", () => {
  it("stores no score for review", () => {
    expect(storedScore("review", 0)).toBeNull();
    expect(storedScore("partial", 0.5)).toBe(0.5);
    expect(storedScore("incorrect", 0)).toBe(0);
  });
  it("formats UTC minutes", () => {
    expect(formatUtc(new Date("2026-01-02T03:04:59Z"))).toBe("2026-01-02 03:04 UTC");
  });
});
