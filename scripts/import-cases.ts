// npm run cases:import -- <folder|zip> [--replace]: imports one case bundle, a folder of bundles, or a zip.
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { BundleError } from "@/lib/cases/bundle";
import type { ImportOutcome } from "@/lib/cases/import-bundle";
import { runCaseImport } from "@/lib/cases/import-runner";
import { getEnv } from "@/lib/env";
import { getStorage } from "@/lib/storage";

/** The import report's lines about the people a bundle names: who was matched, who is not on this instance. */
function peopleReport(o: ImportOutcome): string[] {
  const lines: string[] = [];
  if (o.people?.author) lines.push(`author: ${o.people.author}`);
  if (o.people?.shared.length) lines.push(`co-authors: ${o.people.shared.join(", ")}`);
  for (const u of o.people?.unmatched ?? []) {
    lines.push(`not added: ${u.email} (${u.reason} on this instance; create the account, then share the case in the editor)`);
  }
  return lines;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { replace: { type: "boolean", default: false } } });
  const targets = positionals.length ? positionals : ["cases"];
  const env = getEnv();
  const handle = await openDatabase({ url: env.DATABASE_URL, dir: env.pgliteDir });
  try {
    for (const target of targets) {
      const started = performance.now();
      const result = await runCaseImport(handle.db, getStorage(), target, { authorId: null, replace: values.replace });
      for (const o of result.outcomes) {
        if (o.status === "skipped") console.log(`skipped   ${o.slug.padEnd(40)} already in the database, nothing written (--replace re-imports it)`);
        else console.log(`${o.status.padEnd(9)} ${o.slug.padEnd(40)} ${String(o.series).padStart(3)} series ${String(o.instances).padStart(5)} images`);
        for (const line of peopleReport(o)) console.log(`          ${line}`);
      }
      console.log(`${target}: ${result.outcomes.length} bundles, ${result.collections} collections in ${((performance.now() - started) / 1000).toFixed(1)} s (${handle.engine})`);
    }
    console.log("Submissions are not part of bundles: residents' answers stay on the instance where they were given.");
    return 0;
  } catch (error) {
    if (error instanceof BundleError) {
      console.error(`Refused: ${error.message}\nNothing of this bundle was written.`);
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
