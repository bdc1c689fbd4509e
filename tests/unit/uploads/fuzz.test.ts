import fsp from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { cases, instances, series, users } from "@/db/schema";
import { LocalFolderStorage } from "@/lib/storage";
import { commitUpload, previewCommit } from "@/lib/uploads/commit";
import { processUpload } from "@/lib/uploads/process";
import { inMemoryBytes, loadUpload } from "@/lib/uploads/staging";
import { hostileZip, loadSeeds, mutate, prng } from "./fuzz-corpus";
import { listFiles, makeRoot, stageFiles, testSalt } from "./upload-support";

/**
 * Mutation fuzzing of the upload processing path: real DICOM files from the fixtures, truncated, bit-flipped,
 * with absurd element lengths, wrong VRs, spliced together, replaced by garbage, and packed into hostile zips.
 * Every input must end as a per-file result (accepted, duplicate or refused with a reason), within the per-file
 * timeout, and every batch's accepted images must commit as whole series.
 */

const TOTAL = 2000;
const BATCH = 125;

let root: string;
let handle: DatabaseHandle;
let storageDir: string;
beforeAll(async () => {
  root = await makeRoot("casebook-fuzz-");
  storageDir = path.join(root, "storage");
  handle = await openDatabase({ dir: "memory://" });
}, 120_000);
afterAll(async () => {
  await handle?.close();
  await fsp.rm(root, { recursive: true, force: true });
});

describe("upload processing under fuzzing", () => {
  it(
    `turns ${TOTAL} mutated files and hostile zips into results, never crashes, never half-writes a series`,
    async () => {
      const seeds = await loadSeeds();
      expect(seeds.length).toBeGreaterThan(20);
      const rand = prng(20261122);
      const storage = new LocalFolderStorage(storageDir);
      const uploads = path.join(root, "uploads");
      const tally = { onReceipt: 0, inputs: 0, zips: 0, results: 0, accepted: 0, duplicates: 0, refused: 0, crashes: 0, timeouts: 0, committedSeries: 0, committedInstances: 0 };
      const kinds = new Map<string, number>();
      let slowest = 0;
      let caseNumber = 0;
      const [educator] = await handle.db.insert(users).values({ email: "fuzz@example.org", name: "Fuzz", role: "educator" }).returning({ id: users.id });

      for (let start = 0; start < TOTAL; start += BATCH) {
        const files: [string, Uint8Array][] = [];
        for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) {
          const seed = seeds[Math.floor(rand() * seeds.length)]!;
          const made = rand() < 0.06 ? await hostileZip(seed, seeds, rand) : mutate(seed, seeds, rand);
          kinds.set(made.kind, (kinds.get(made.kind) ?? 0) + 1);
          files.push([`${i}-${made.kind}-${path.basename(seed.name)}${made.kind.startsWith("zip") ? ".zip" : ""}`, made.bytes]);
        }
        tally.inputs += files.length;
        tally.zips += files.filter(([n]) => n.endsWith(".zip")).length;

        caseNumber += 1;
        const [c] = await handle.db.insert(cases).values({ slug: `fuzz-${caseNumber}`, number: caseNumber }).returning({ id: cases.id });
        // Three batches in four take the PUT route's path (plain files de-identified on receipt), one stages every file.
        const onReceipt = (start / BATCH) % 4 !== 3;
        let id: string;
        try {
          id = await stageFiles(uploads, files, { caseId: c!.id, userId: crypto.randomUUID() }, { onReceipt });
        } catch (error) {
          tally.crashes += 1;
          console.error("fuzz crash on receipt", error);
          continue;
        }
        expect(inMemoryBytes()).toBe(0);
        let lastFile = Date.now();
        try {
          await processUpload(uploads, id, {
            uidSalt: testSalt,
            perFileTimeoutMs: 5_000,
            onProgress: () => {
              const now = Date.now();
              slowest = Math.max(slowest, now - lastFile);
              lastFile = now;
            },
          });
        } catch (error) {
          tally.crashes += 1;
          console.error("fuzz crash", error);
          continue;
        }
        const manifest = await loadUpload(uploads, id);
        tally.onReceipt += manifest.sources.filter((s) => s.prepared).length;
        // One result per plain file; a zip gives one (refused) or one per entry.
        expect(manifest.sources.every((s) => s.processed)).toBe(true);
        expect(manifest.files.length).toBeGreaterThanOrEqual(files.length);
        for (const f of manifest.files) {
          tally.results += 1;
          if (f.status === "accepted") tally.accepted += 1;
          else if (f.status === "duplicate") tally.duplicates += 1;
          else tally.refused += 1;
          if (f.status !== "accepted" && !f.reason) tally.crashes += 1; // a refusal without a reason is a bug
          if (f.reason?.includes("took longer")) tally.timeouts += 1;
        }
        expect(await listFiles(path.join(uploads, id, "sources"))).toEqual([]);
        expect(await listFiles(path.join(uploads, id, "extracted"))).toEqual([]);

        // Commit what was accepted (held series acknowledged): every series must be whole, every blob present.
        const groups = await previewCommit(handle.db, manifest.files, c!.id);
        if (groups.length === 0) continue;
        const held = groups.flatMap((g) => g.series.filter((s) => s.heldForReview).map((s) => s.seriesInstanceUid));
        try {
          const outcome = await commitUpload(handle.db, storage, uploads, id, { actorId: educator!.id, acknowledgeBurnedIn: held });
          tally.committedSeries += outcome.series;
          tally.committedInstances += outcome.instances;
        } catch (error) {
          // Counted against the test below; whatever happened, the checks that follow must hold.
          console.warn("fuzz commit refused", (error as Error).message);
        }
        const seriesRows = await handle.db.select().from(series).where(eq(series.caseId, c!.id));
        for (const s of seriesRows) {
          const [{ n } = { n: 0 }] = await handle.db.select({ n: count() }).from(instances).where(eq(instances.seriesId, s.id));
          expect(Number(n)).toBe(s.instanceCount);
        }
        const rows = await handle.db.select({ key: instances.storageKey }).from(instances).innerJoin(series, eq(instances.seriesId, series.id)).where(eq(series.caseId, c!.id));
        for (const r of rows) expect(await storage.exists(r.key)).toBe(true);
      }

      console.log(
        `fuzz: ${tally.inputs} files (${tally.zips} zips, ${tally.onReceipt} de-identified on receipt) -> ${tally.results} results, ${tally.refused} refused, ${tally.accepted + tally.duplicates} accepted (${tally.duplicates} duplicates), ${tally.crashes} crashes, ${tally.timeouts} timeouts; committed ${tally.committedSeries} series / ${tally.committedInstances} instances; slowest file ${slowest} ms; mutations ${JSON.stringify(Object.fromEntries(kinds))}`,
      );
      expect(tally.inputs).toBe(TOTAL);
      expect(tally.crashes).toBe(0);
      expect(tally.onReceipt).toBeGreaterThan(TOTAL / 10); // the mutated files whose meta group still names an uncompressed syntax
      expect(tally.timeouts).toBe(0);
      expect(tally.refused).toBeGreaterThan(TOTAL / 4);
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.committedInstances).toBe(tally.accepted);
    },
    180_000,
  );
});
