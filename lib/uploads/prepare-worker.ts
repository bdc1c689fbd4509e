// Worker thread of the upload preparer pool (prepare-pool.ts): de-identifies, normalises and hashes one file per
// message, off the thread that receives and writes uploads. The original's buffer is transferred here and back.
import { parentPort } from "node:worker_threads";
import { createUploadPreparer, deidentifyFile, type Preparer } from "./prepare";
import type { PoolReply, PoolTask } from "./prepare-pool";

const preparers = new Map<string, Preparer>();
parentPort?.postMessage({ ready: true } satisfies PoolReply);

parentPort?.on("message", async (task: PoolTask) => {
  const key = JSON.stringify(task.options);
  let preparer = preparers.get(key);
  if (!preparer) {
    preparer = createUploadPreparer(task.options);
    preparers.set(key, preparer);
  }
  let reply: PoolReply;
  try {
    const { result, output } = await deidentifyFile(preparer, task.input, task.original, task.knownSha256);
    reply = { id: task.id, result, output };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The parts are the new header and views of the original: hand every buffer back rather than copy it.
  const buffers = new Set<ArrayBuffer>([task.original.buffer as ArrayBuffer]);
  if ("output" in reply) for (const part of reply.output?.parts ?? []) buffers.add(part.buffer as ArrayBuffer);
  parentPort!.postMessage(reply, [...buffers]);
});
