import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_DIR, loadKey } from "./fixture-keys";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

function runGrade(args: string[], input: string) {
  const run = spawnSync(TSX, ["scripts/grade.ts", ...args], { cwd: ROOT, input, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// A KEY.json as an educator would export it: the bundled case's key from its case.yaml, in the bundle shape.
const scratch = mkdtempSync(path.join(tmpdir(), "casebook-grade-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function bundledKeyFile(slug: string): string {
  const file = path.join(scratch, `${slug}.json`);
  writeFileSync(file, JSON.stringify({ answer: loadKey(slug) }));
  return file;
}

describe("scripts/grade.ts", () => {
  it("prints one JSON verdict per input line, empty lines included", () => {
    const key = bundledKeyFile("emh-thalassemia-active");
    const run = runGrade(["--key", key], "EMH\nschwannoma vs EMH\n\nextramedullary plasmacytoma\nparaspinal mass\n");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { answer: "EMH", verdict: "correct", score: 1 },
      { answer: "schwannoma vs EMH", verdict: "partial", score: 0.5 },
      { answer: "", verdict: "incorrect", score: 0 },
      { answer: "extramedullary plasmacytoma", verdict: "incorrect", score: 0 },
      { answer: "paraspinal mass", verdict: "review", score: 0 },
    ]);
  });

  it("accepts --key=FILE and the bare inner key object", () => {
    const run = runGrade([`--key=${FIXTURE_DIR}bare-key.json`], "lipoma, intradural\r\nepidural lipomatosis\n");
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([
      { answer: "lipoma, intradural", verdict: "correct", score: 1 },
      { answer: "epidural lipomatosis", verdict: "incorrect", score: 0 },
    ]);
  });

  it("exits 2 naming the file and field when the key is invalid", () => {
    const file = `${FIXTURE_DIR}bad-keys/empty-diagnosis.json`;
    const run = runGrade(["--key", file], "EMH\n");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("answer.diagnosis");

    const listRun = runGrade(["--key", `${FIXTURE_DIR}bad-keys/reject-not-a-list.json`], "EMH\n");
    expect(listRun.status).toBe(2);
    expect(listRun.stderr).toContain("answer.reject");
  });

  it("exits 2 with the file name when the key is missing or not JSON", () => {
    const notJson = `${FIXTURE_DIR}bad-keys/not-json.json`;
    expect(runGrade(["--key", notJson], "")).toMatchObject({ status: 2, stderr: expect.stringContaining(notJson) });
    expect(runGrade(["--key", "/nonexistent/key.json"], "")).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("/nonexistent/key.json"),
    });
    expect(runGrade([], "")).toMatchObject({ status: 2, stderr: expect.stringContaining("--key") });
  });
});
