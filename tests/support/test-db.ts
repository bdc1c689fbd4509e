import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "@/db/client";

export const testEngine = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or a throw-away database on the local
 * PostgreSQL server (TEST_DB=postgres). An unreachable server fails the tests; it never skips them.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (testEngine === "pglite") return openDatabase({ dir: "memory://" });
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
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
