// Upload ingest benchmark, run by hand (never part of the tests):
//   npm run -s bench -- ingest [--files 500] [--size 512] [--runs 5] [--keep]
// Generates real-sized CT slices (512x512, 16-bit, Explicit VR Little Endian, ~0.5 MB each), then pushes them
// through the real upload path in-process: streamed into a staging session (as the PUT route does), processed
// (preflight, de-identification, normalisation, duplicate checks, grouping), and committed (blobs through
// lib/storage plus one transaction on an on-disk PGlite). Two baselines run on the same files, on the same disk, in
// the same run: fs.copyFile (the kernel copies, often without the bytes entering user space) and a stream copy
// (read into user space and written, 256 KiB chunks: what a server receiving an upload does at the least).
// `ingest_ratio` is ingest time / stream copy time, the honest floor for bytes that arrive as a stream; the ratio
// to copyFile is reported beside it as `ingest_ratio_vs_copyfile`. The last line is one JSON object.
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { cases, users } from "../db/schema";
import { LocalFolderStorage } from "../lib/storage/local-folder";
import { commitUpload, getCaseImageUids } from "../lib/uploads/commit";
import { processUpload } from "../lib/uploads/process";
import { warmPreparers } from "../lib/uploads/prepare-pool";
import { createUpload, receiveSource } from "../lib/uploads/staging";
import { makeCtSlice } from "../tests/support/make-dicom";

const { values: args } = parseArgs({
  options: { files: { type: "string", default: "500" }, size: { type: "string", default: "512" }, runs: { type: "string", default: "5" }, keep: { type: "boolean", default: false } },
});
const FILES = Number(args.files);
const SIZE = Number(args.size);
const RUNS = Math.max(1, Number(args.runs));
const SALT = "bench-salt-0123456789abcdef";

const work = await fsp.mkdtemp(path.join(os.tmpdir(), "casebook-bench-ingest-"));
const input = path.join(work, "input");
await fsp.mkdir(input, { recursive: true });

// Not timed: the input, one series of FILES slices (the slices differ, so none is a duplicate).
const g0 = performance.now();
const study = "1.2.826.0.1.3680043.8.498.4242";
for (let i = 0; i < FILES; i++) {
  const bytes = makeCtSlice({
    studyUid: study,
    seriesUid: `${study}.1`,
    sopUid: `${study}.1.${i + 1}`,
    frameOfReferenceUid: `${study}.9`,
    seriesDescription: "CT AX BENCH",
    seriesNumber: 1,
    instanceNumber: i + 1,
    z: -i,
    size: SIZE,
    extra: { PatientID: "BENCH-0001", InstitutionName: "Bench General" },
  });
  await fsp.writeFile(path.join(input, `slice-${String(i + 1).padStart(4, "0")}.dcm`), bytes);
}
const names = (await fsp.readdir(input)).sort();
let totalBytes = 0;
for (const n of names) totalBytes += (await fsp.stat(path.join(input, n))).size;
const generateS = (performance.now() - g0) / 1000;

async function timed<T>(task: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await task();
  return [value, (performance.now() - start) / 1000];
}

const handle = await openDatabase({ dir: path.join(work, "pglite") });
const [user] = await handle.db.insert(users).values({ email: "bench@example.org", name: "Bench", role: "educator" }).returning({ id: users.id });
const copyDir = path.join(work, "copy");
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const samples = { copy: [] as number[], streamCopy: [] as number[], receive: [] as number[], process: [] as number[], commit: [] as number[], ingest: [] as number[] };
let accepted = 0;
let outcome = { series: 0, instances: 0 };

let nextCaseNumber = 1;

/**
 * One upload of `files` through the real path: received three transfers at a time (as the upload page sends them),
 * processed, committed to a fresh case and storage folder (so no run finds another run's blobs).
 */
async function ingest(label: string, files: string[]) {
  const storage = new LocalFolderStorage(path.join(work, `storage-${label}`));
  const root = path.join(work, "uploads");
  const [target] = await handle.db.insert(cases).values({ slug: `bench-ingest-${label}`, number: nextCaseNumber++, authorId: user!.id }).returning({ id: cases.id });
  const session = await createUpload(root, { caseId: target!.id, userId: user!.id });
  // As POST /api/uploads does when a session opens: the de-identification workers start before the first file.
  warmPreparers();
  const [, receiveS] = await timed(async () => {
    let next = 0;
    const sender = async () => {
      while (next < files.length) {
        const n = files[next++]!;
        const file = path.join(input, n);
        await receiveSource(root, session.id, { name: n, body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }), declaredSize: (await fsp.stat(file)).size }, undefined, { uidSalt: SALT });
      }
    };
    await Promise.all([sender(), sender(), sender()]);
  });
  const [manifest, processS] = await timed(async () =>
    processUpload(root, session.id, { uidSalt: SALT, existingSopInstanceUids: (await getCaseImageUids(handle.db, target!.id)).sopInstanceUids }),
  );
  const [committed, commitS] = await timed(() => commitUpload(handle.db, storage, root, session.id, { actorId: user!.id }));
  await fsp.rm(path.join(work, `storage-${label}`), { recursive: true, force: true });
  return { accepted: manifest.files.filter((f) => f.status === "accepted").length, committed, receiveS, processS, commitS };
}

// Not timed: one small upload first, as a running server has done before (its worker threads started, which under
// tsx means compiling their TypeScript; its code paths compiled by V8). Every timed run then meets the same server.
await ingest("warm-up", names.slice(0, 50));

// Baselines and ingest alternate, RUNS times each, and the medians are reported: the disk is shared with other
// jobs, and alternating keeps a burst of their I/O from landing on one side only.
for (let run = 0; run < RUNS; run++) {
  await fsp.mkdir(copyDir);
  const [, copyS] = await timed(async () => {
    for (const n of names) await fsp.copyFile(path.join(input, n), path.join(copyDir, n));
  });
  await fsp.rm(copyDir, { recursive: true, force: true });
  // The same copy through streams (read and write in user space, as a server receiving bytes does).
  await fsp.mkdir(copyDir);
  const [, streamCopyS] = await timed(async () => {
    for (const n of names) await pipeline(fs.createReadStream(path.join(input, n), { highWaterMark: 256 * 1024 }), fs.createWriteStream(path.join(copyDir, n)));
  });
  await fsp.rm(copyDir, { recursive: true, force: true });

  const { receiveS, processS, commitS, ...result } = await ingest(String(run), names);
  accepted = result.accepted;
  outcome = result.committed;
  samples.copy.push(copyS);
  samples.streamCopy.push(streamCopyS);
  samples.receive.push(receiveS);
  samples.process.push(processS);
  samples.commit.push(commitS);
  samples.ingest.push(receiveS + processS + commitS);
}
await handle.close();
const copyS = median(samples.copy);
const streamCopyS = median(samples.streamCopy);
const receiveS = median(samples.receive);
const processS = median(samples.process);
const commitS = median(samples.commit);
const ingestS = median(samples.ingest);
const mb = totalBytes / 1024 ** 2;
const rows: [string, number][] = [
  ["plain copy (fs.copyFile)", copyS],
  ["stream copy (read + write, baseline)", streamCopyS],
  ["receive (+ deid of plain files)", receiveS],
  ["process (duplicates, staged files)", processS],
  ["commit (link blobs + 1 transaction)", commitS],
  ["ingest total", ingestS],
];
console.log(`ingest benchmark: ${FILES} files, ${SIZE}x${SIZE} 16-bit CT, ${mb.toFixed(1)} MB (input generated in ${generateS.toFixed(1)} s), ${os.cpus().length} cores, median of ${RUNS} runs`);
console.log(`${"phase".padEnd(38)} ${"seconds".padStart(8)} ${"MB/s".padStart(8)} ${"x stream".padStart(9)} ${"x copyFile".padStart(11)}`);
for (const [label, s] of rows) {
  console.log(`${label.padEnd(38)} ${s.toFixed(2).padStart(8)} ${(mb / s).toFixed(1).padStart(8)} ${(s / streamCopyS).toFixed(2).padStart(9)} ${(s / copyS).toFixed(2).padStart(11)}`);
}
console.log("ingest_ratio = ingest total / stream copy (the bytes as an upload receives them); the copyFile ratio is beside it");
console.log(`accepted ${accepted}/${FILES} per run, committed ${outcome.series} series / ${outcome.instances} instances; ingest runs ${samples.ingest.map((x) => x.toFixed(2)).join(", ")} s`);
if (!args.keep) await fsp.rm(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
console.log(
  JSON.stringify({
    bench: "ingest",
    files: FILES,
    mb: Number(mb.toFixed(1)),
    mb_per_s: Number((mb / ingestS).toFixed(1)),
    baseline: "stream copy",
    stream_copy_mb_per_s: Number((mb / streamCopyS).toFixed(1)),
    copy_mb_per_s: Number((mb / copyS).toFixed(1)),
    ingest_ratio: Number((ingestS / streamCopyS).toFixed(2)),
    ingest_ratio_vs_copyfile: Number((ingestS / copyS).toFixed(2)),
    runs: RUNS,
    seconds: { copy: +copyS.toFixed(3), stream_copy: +streamCopyS.toFixed(3), receive: +receiveS.toFixed(3), process: +processS.toFixed(3), commit: +commitS.toFixed(3), ingest: +ingestS.toFixed(3) },
    accepted,
    committed_instances: outcome.instances,
  }),
);
