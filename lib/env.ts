import path from "node:path";
import { z } from "zod";

/**
 * The only reader of process.env. Parsed lazily (so `next build` never needs runtime secrets) and once.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    CASEBOOK_MODE: z.enum(["demo", "production"]).default("demo"),
    CASEBOOK_DATA_DIR: z.string().min(1).default("data"),
    CASEBOOK_STORAGE_DIR: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
    NEXTAUTH_URL: z.string().url().optional(),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("Hospital sign-in"),
    /** Serves the benchmark's bare baseline page (/lab/baseline) in production; bench/viewer.ts sets it. */
    CASEBOOK_BENCH: z.enum(["0", "1"]).default("0"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({ code: "custom", message: "OIDC needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET" });
    }
  });

export type Env = z.infer<typeof envSchema> & { dataDir: string; storageDir: string; pgliteDir: string };

let cached: Env | undefined;

/** Validated configuration; throws once with every problem listed if the environment is wrong. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  // Runtime folders, not build inputs: keep the bundler from tracing the whole project through them.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ parsed.data.CASEBOOK_DATA_DIR);
  cached = {
    ...parsed.data,
    dataDir,
    storageDir: path.resolve(/*turbopackIgnore: true*/ parsed.data.CASEBOOK_STORAGE_DIR ?? path.join(dataDir, "storage")),
    pgliteDir: path.join(/*turbopackIgnore: true*/ dataDir, "pglite"),
  };
  return cached;
}

/** Test hook: forget the parsed environment so the next getEnv() reads process.env again. */
export function resetEnvForTests(): void {
  cached = undefined;
}
