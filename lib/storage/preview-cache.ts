import fsp from "node:fs/promises";
import path from "node:path";
import { getEnv } from "@/lib/env";

/**
 * Rendered previews (PNG) keyed by the source bytes' hash and size. A cache only: losing it costs a render.
 */
export async function getOrRenderPreview(sha256: string, size: number, render: () => Promise<Buffer>): Promise<Buffer> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("invalid hash");
  const file = path.join(getEnv().dataDir, "cache", "previews", sha256.slice(0, 2), `${sha256}-${size}.png`);
  try {
    return await fsp.readFile(file);
  } catch {
    const png = await render();
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await fsp.writeFile(temp, png);
    await fsp.rename(temp, file);
    return png;
  }
}

/** Deletes every cached preview of these bytes (after the image was replaced or removed, so none is served again). */
export async function forgetPreviews(sha256: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("invalid hash");
  const dir = path.join(getEnv().dataDir, "cache", "previews", sha256.slice(0, 2));
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(`${sha256}-`)).map((n) => fsp.rm(path.join(dir, n), { force: true })));
}
