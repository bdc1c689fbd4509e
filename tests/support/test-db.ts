import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "@/db/client";

export const testEngine = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A throw-away database on the local PostgreSQL server; `drop` removes it. */
async function createThrowawayPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `casebook_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${adminUrl} is unreachable (TEST_DB=postgres): ${(error as Error).message}`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  };
  return { url: url.toString(), drop };
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a throw-away database on the local
 * PostgreSQL server (TEST_DB=postgres). An unreachable server fails the tests; it never skips them.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (testEngine === "pglite") return openDatabase({ dir: "memory://" });
  const { url, drop } = await createThrowawayPostgres();
  const handle = await openDatabase({ url });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await drop();
    },
  };
}

/**
 * An environment for a command-line child process with its own fresh database: a PGlite data folder, or a
 * throw-away PostgreSQL database (TEST_DB=postgres), plus its own storage folder. `open` connects this process
 * to the same database once the child has exited (PGlite allows one process per folder).
 */
export async function createTestDatabaseEnv(root: string): Promise<{ env: Record<string, string>; open: () => Promise<DatabaseHandle>; drop: () => Promise<void> }> {
  const dataDir = path.join(root, "data");
  const env: Record<string, string> = { CASEBOOK_DATA_DIR: dataDir, CASEBOOK_STORAGE_DIR: path.join(dataDir, "storage"), DATABASE_URL: "" };
  if (testEngine === "pglite") {
    return { env, open: () => openDatabase({ dir: path.join(dataDir, "pglite") }), drop: async () => undefined };
  }
  const { url, drop } = await createThrowawayPostgres();
  env.DATABASE_URL = url;
  return { env, open: () => openDatabase({ url }), drop };
}
