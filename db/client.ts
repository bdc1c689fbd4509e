import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { sql } from "drizzle-orm";
import pg from "pg";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

/** The one database type every query takes: PGlite and PostgreSQL behind the same drizzle API. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle is usable wherever a Db is. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DatabaseHandle = { db: Db; engine: "pglite" | "postgres"; close: () => Promise<void> };

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export class DatabaseLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. PGlite allows one process per data folder: ` +
        `stop that process (for example the running app) first, or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "DatabaseLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PGlite has no cross-process locking, so we keep a pid file beside its folder. */
function acquirePgliteLock(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(fs.readFileSync(lockFile, "utf8"));
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dir, pid);
      fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}

/**
 * Opens a database and applies pending migrations. `url` selects PostgreSQL; otherwise PGlite in `dir`
 * (or in memory when `dir` is "memory://").
 */
export async function openDatabase(options: { url?: string; dir?: string }): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection the server drops (restart, failover, a dropped test database) must not crash the process:
    // the pool replaces it on the next query.
    pool.on("error", (error) => console.warn(`casebook: PostgreSQL connection lost: ${error.message}`));
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    // Several app instances may start at once against one server: serialise their migrations.
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock(726354)");
      await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock(726354)").catch(() => undefined);
      client.release();
    }
    return { db, engine: "postgres", close: () => pool.end() };
  }
  const dir = options.dir ?? getEnv().pgliteDir;
  const release = dir.startsWith("memory://") ? () => undefined : acquirePgliteLock(dir);
  try {
    const client = await PGlite.create(dir);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      engine: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

type GlobalWithDb = typeof globalThis & { __casebookDb?: Promise<DatabaseHandle> };

/** The app's database, opened lazily on first use (never at build time) and shared across requests. */
export function getDatabase(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g.__casebookDb) {
    const env = getEnv();
    g.__casebookDb = openDatabase({ url: env.DATABASE_URL, dir: env.pgliteDir }).catch((error: unknown) => {
      g.__casebookDb = undefined;
      throw error;
    });
  }
  return g.__casebookDb;
}

/** Shorthand for pages and actions. */
export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** A cheap round trip, for health checks. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
