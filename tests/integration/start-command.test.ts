import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the start command", () => {
  it("refuses production mode without a secret, before touching any data", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-prod-"));
    const env = { ...process.env, CASEBOOK_MODE: "production", CASEBOOK_DATA_DIR: dataDir, NEXTAUTH_SECRET: "", PORT: "3999" };
    delete (env as Record<string, string | undefined>).NEXTAUTH_SECRET;
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("CASEBOOK_MODE=production needs NEXTAUTH_SECRET");
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("refuses a secret that is too short", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, CASEBOOK_MODE: "production", NEXTAUTH_SECRET: "short", PORT: "3999" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("at least 32 characters");
  });
});
