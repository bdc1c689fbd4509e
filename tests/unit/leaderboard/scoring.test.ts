import { describe, expect, it } from "vitest";
import { academicYearStart, computeStreaks, groupScore, monthStart, periodStart } from "@/lib/leaderboard/scoring";

describe("periods", () => {
  it("starts the academic year on July 1 (UTC)", () => {
    expect(academicYearStart(new Date("2026-07-01T00:00:00Z")).toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(academicYearStart(new Date("2026-06-30T23:59:59Z")).toISOString()).toBe("2025-07-01T00:00:00.000Z");
    expect(academicYearStart(new Date("2027-02-14T10:00:00Z")).toISOString()).toBe("2026-07-01T00:00:00.000Z");
  });
  it("starts the month on its first day (UTC) and all time nowhere", () => {
    expect(monthStart(new Date("2026-11-22T03:00:00Z")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(periodStart("all", new Date())).toBeUndefined();
  });
});

describe("computeStreaks", () => {
  const order = ["c1", "c2", "c3", "c4", "c5"];
  it("counts consecutive correct or partial answers in case order", () => {
    const v = new Map([["c1", "correct"], ["c2", "partial"], ["c3", "incorrect"], ["c4", "correct"], ["c5", "correct"]] as const);
    expect(computeStreaks(order, v)).toEqual({ current: 2, best: 2 });
  });
  it("ends a run at an unanswered revealed case", () => {
    const v = new Map([["c1", "correct"], ["c2", "correct"], ["c3", "correct"], ["c5", "correct"]] as const);
    expect(computeStreaks(order, v)).toEqual({ current: 1, best: 3 });
  });
  it("treats review as pending: it neither extends nor ends the run", () => {
    const v = new Map([["c1", "correct"], ["c2", "review"], ["c3", "correct"], ["c4", "partial"], ["c5", "review"]] as const);
    expect(computeStreaks(order, v)).toEqual({ current: 3, best: 3 });
  });
  it("is zero with nothing answered", () => {
    expect(computeStreaks(order, new Map())).toEqual({ current: 0, best: 0 });
  });
});

describe("groupScore", () => {
  it("adds group entry points to the members' points per active member", () => {
    expect(groupScore({ groupEntryPoints: 3, memberPoints: 12, activeMembers: 4 })).toBe(6);
  });
  it("lets a small, strong program beat a large one with more raw points", () => {
    const small = groupScore({ groupEntryPoints: 4, memberPoints: 3 * 9, activeMembers: 3 });
    const large = groupScore({ groupEntryPoints: 4, memberPoints: 30 * 4, activeMembers: 30 });
    expect(small).toBeGreaterThan(large);
  });
  it("does not divide by zero for a group with only a group entry", () => {
    expect(groupScore({ groupEntryPoints: 2.5, memberPoints: 0, activeMembers: 0 })).toBe(2.5);
  });
});
