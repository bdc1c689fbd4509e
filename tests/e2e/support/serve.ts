// The e2e server: a fresh data folder, then the README's start command (demo mode, bundled cases) on E2E_PORT.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { e2eDataDir } from "./paths";

fs.rmSync(e2eDataDir, { recursive: true, force: true });
const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  stdio: "inherit",
  env: { ...process.env, CASEBOOK_MODE: "demo", CASEBOOK_DATA_DIR: e2eDataDir, PORT: process.env.E2E_PORT ?? "3170", DATABASE_URL: "" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
