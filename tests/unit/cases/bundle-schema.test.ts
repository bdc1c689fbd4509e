import { describe, expect, it } from "vitest";
import { caseFileSchema, resolveMoment } from "@/lib/cases/bundle-schema";
import { fixtureCaseYaml } from "../../support/bundle-fixture";

const now = new Date("2026-11-22T12:00:00Z");

describe("bundle schedule moments", () => {
  it("resolves offsets in days, hours and minutes against the import time", () => {
    expect(resolveMoment("-30d", now).toISOString()).toBe("2026-10-23T12:00:00.000Z");
    expect(resolveMoment("+36h", now).toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(resolveMoment("+90m", now).toISOString()).toBe("2026-11-22T13:30:00.000Z");
  });

  it("keeps absolute ISO-8601 timestamps", () => {
    expect(resolveMoment("2027-01-01T08:00:00Z", now).toISOString()).toBe("2027-01-01T08:00:00.000Z");
  });
});

describe("case.yaml schema", () => {
  it("accepts the documented shape", () => {
    expect(caseFileSchema.safeParse(fixtureCaseYaml("ok")).success).toBe(true);
  });

  it("refuses a schedule that closes before it opens, naming the field", () => {
    const parsed = caseFileSchema.safeParse(fixtureCaseYaml("x", { schedule: { opens: "+5d", closes: "+1d", reveals: "+6d" } }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["schedule", "closes"]);
  });

  it("refuses an unknown age bucket and a timestamp without a zone", () => {
    expect(caseFileSchema.safeParse(fixtureCaseYaml("x", { presentation: { age: "35", sex: "F", history: "h" } })).success).toBe(false);
    expect(caseFileSchema.safeParse(fixtureCaseYaml("x", { schedule: { opens: "2026-12-01T00:00:00" } })).success).toBe(false);
  });

  it("requires the answer key's diagnosis", () => {
    const parsed = caseFileSchema.safeParse(fixtureCaseYaml("x", { answer: { synonyms: [] } }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe("answer");
  });
});
