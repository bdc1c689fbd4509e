// The e2e server: a fresh data folder, the viewer tests' extra bundles, then the README's start command (demo
// mode, bundled cases plus CASEBOOK_EXTRA_CASES) on E2E_PORT.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { writeViewerE2eBundles } from "./e2e-bundles";
import { e2eDataDir } from "./paths";

fs.rmSync(e2eDataDir, { recursive: true, force: true });
const extraCases = writeViewerE2eBundles(path.join(e2eDataDir, "extra-cases"));
const extraFolders = [process.env.CASEBOOK_EXTRA_CASES, extraCases].filter(Boolean).join(path.delimiter);
const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  stdio: "inherit",
  env: {
    ...process.env,
    CASEBOOK_MODE: "demo",
    CASEBOOK_DATA_DIR: e2eDataDir,
    CASEBOOK_EXTRA_CASES: extraFolders,
    PORT: process.env.E2E_PORT ?? "3170",
    DATABASE_URL: "",
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
