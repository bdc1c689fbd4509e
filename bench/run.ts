// npm run -s bench -- <name> [args]: runs bench/<name>.ts. Benchmarks are run by hand, never by the test suite.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(path.join(process.cwd(), "bench"))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();
if (!name || !available.includes(name)) {
  console.error(`usage: npm run -s bench -- <${available.join("|")}> [args]`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--import", "tsx", path.join("bench", `${name}.ts`), ...args], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
process.exit(result.status ?? 1);
