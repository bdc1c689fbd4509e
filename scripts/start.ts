// npm start: prepares and serves Casebook. Demo mode (default): generates a secret, loads the bundled cases into
// an empty database and prints the demo accounts. Production mode (CASEBOOK_MODE=production) does neither and
// refuses to start without NEXTAUTH_SECRET.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { cases } from "@/db/schema";
import { ensureDemoAccounts } from "@/lib/auth/demo-accounts";
import { seedDemoSubmissions } from "@/lib/demo/seed-submissions";
import { runCaseImport } from "@/lib/cases/import-runner";
import { getEnv } from "@/lib/env";
import { getStorage } from "@/lib/storage";

const started = performance.now();
const root = process.cwd();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

function fail(message: string): never {
  console.error(`casebook: ${message}`);
  process.exit(1);
}

/** Demo installs get a random secret kept in the data folder; production must bring its own. */
function resolveSecret(mode: string, dataDir: string): string {
  const fromEnv = process.env.NEXTAUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) fail("NEXTAUTH_SECRET must be at least 32 characters.");
    return fromEnv;
  }
  if (mode === "production") fail("CASEBOOK_MODE=production needs NEXTAUTH_SECRET (32+ random characters, e.g. `openssl rand -base64 32`).");
  const file = path.join(dataDir, "nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** A hash of everything the production build depends on, to rebuild only when sources changed. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|css|mjs|json)$/.test(entry.name)) hash.update(full).update(fs.readFileSync(full));
    }
  };
  for (const dir of ["app", "lib", "db", "types", "public"]) walk(path.join(root, dir));
  for (const file of ["next.config.mjs", "package.json", "tsconfig.json", "proxy.ts"]) {
    if (fs.existsSync(file)) hash.update(file).update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed`);
}

async function main() {
  const mode = process.env.CASEBOOK_MODE ?? "demo";
  if (mode !== "demo" && mode !== "production") fail(`CASEBOOK_MODE must be "demo" or "production", not "${mode}".`);
  const port = process.env.PORT ?? "3000";
  const env = getEnv();
  const secret = resolveSecret(mode, env.dataDir);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CASEBOOK_MODE: mode,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };

  if (mode === "demo") {
    const missing = fs
      .readdirSync(path.join(root, "cases"), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, "cases", d.name, "generate.ts")) && !fs.existsSync(path.join(root, "cases", d.name, "dicom")));
    if (missing.length) {
      console.log(`casebook: generating synthetic images for ${missing.length} bundled cases…`);
      run(process.execPath, ["--import", "tsx", "scripts/generate-cases.ts", ...missing.map((d) => d.name)], childEnv);
    }
  }

  const handle = await openDatabase({ url: env.DATABASE_URL, dir: env.pgliteDir });
  try {
    if (mode === "demo") {
      const accounts = await ensureDemoAccounts(handle.db, env.dataDir);
      const [{ n } = { n: 0 }] = await handle.db.select({ n: count() }).from(cases);
      if (n === 0) {
        const educator = accounts.find((a) => a.role === "educator");
        const { getUserByEmail } = await import("@/db/queries/users");
        const author = educator ? await getUserByEmail(handle.db, educator.email) : undefined;
        // CASEBOOK_EXTRA_CASES: more folders of bundles to load at first start (a department's own library).
        const folders = [path.join(root, "cases"), ...(process.env.CASEBOOK_EXTRA_CASES ?? "").split(path.delimiter).filter(Boolean)];
        for (const folder of folders) {
          const result = await runCaseImport(handle.db, getStorage(), folder, { authorId: author?.id ?? null });
          console.log(`casebook: imported ${result.outcomes.length} cases and ${result.collections} collections from ${path.relative(root, folder) || folder} (${elapsed()})`);
        }
      }
      // Past entries of demo residents and groups on the revealed cases, so leaderboards are not empty.
      const seeded = await seedDemoSubmissions(handle.db, new Date());
      if (seeded.submissions) console.log(`casebook: demo submissions: ${seeded.submissions} entries by ${seeded.residents} residents and ${seeded.groups} groups`);
      console.log("\nDemo accounts (demo mode only; passwords are random per installation):");
      for (const a of accounts) console.log(`  ${a.role.padEnd(9)} ${a.email.padEnd(26)} ${a.password}`);
      console.log("");
    }
  } finally {
    await handle.close();
  }

  const stamp = path.join(root, ".next", "casebook-source-hash");
  const hash = sourceHash();
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")) || !fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== hash) {
    console.log("casebook: building the app (first start or changed sources)…");
    run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { ...childEnv, NODE_ENV: "production" });
    fs.writeFileSync(stamp, hash);
  }

  console.log(`casebook: ${mode} mode, ${env.DATABASE_URL ? "PostgreSQL" : `embedded PGlite in ${env.pgliteDir}`}; serving on http://localhost:${port} (prepared in ${elapsed()})`);
  const server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port], {
    stdio: "inherit",
    env: { ...childEnv, NODE_ENV: "production" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
