// npm run cases:export -- <number-or-slug> <out.zip>: writes one case as a bundle zip (cases/README.md).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { getCaseIdBySlugOrNumber } from "@/db/queries/case-export";
import { auditCaseExport, ExportError, prepareCaseExport, streamBundleZip } from "@/lib/cases/export-bundle";
import { getEnv } from "@/lib/env";
import { getStorage } from "@/lib/storage";

const usage = "Usage: npm run cases:export -- <case number or slug> <out.zip>";

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  const [ref, out] = positionals;
  if (!ref || !out || positionals.length > 2 || !out.endsWith(".zip")) {
    console.error(usage);
    return 2;
  }
  const env = getEnv();
  const handle = await openDatabase({ url: env.DATABASE_URL, dir: env.pgliteDir });
  const target = path.resolve(out);
  // Written beside the target and renamed at the end: a failed export never leaves a truncated zip behind.
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.part`);
  try {
    const caseId = await getCaseIdBySlugOrNumber(handle.db, ref);
    if (!caseId) {
      console.error(`No case "${ref}": give its number (as in "Case 12") or its slug.`);
      return 1;
    }
    const storage = getStorage();
    const started = performance.now();
    const prepared = await prepareCaseExport(handle.db, storage, caseId, null);
    await pipeline(streamBundleZip(storage, prepared), fs.createWriteStream(temp, { flags: "wx" }));
    await fsp.rename(temp, target);
    await auditCaseExport(handle.db, null, prepared, "cli");
    const { size } = await fsp.stat(target);
    console.log(
      `exported ${prepared.slug}: ${prepared.dicom.length} images, ${(size / 1024 ** 2).toFixed(1)} MB -> ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s (${handle.engine})`,
    );
    console.log(
      `  ${prepared.coAuthors} co-author${prepared.coAuthors === 1 ? "" : "s"} named by e-mail; ${prepared.submissionsLeftOut} submission${prepared.submissionsLeftOut === 1 ? "" : "s"} not included (bundles never carry residents' answers)`,
    );
    return 0;
  } catch (error) {
    await fsp.rm(temp, { force: true });
    if (error instanceof ExportError) {
      console.error(`Not exported: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
