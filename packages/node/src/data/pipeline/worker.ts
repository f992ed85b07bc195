/**
 * Entry of a pipeline worker thread: announces itself ready, then runs one
 * job per message and replies with the result (its buffers transferred) or a
 * caller-safe error. An uncaught exception kills the thread; the pool fails
 * the job it was running and starts a replacement.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCodes, toTesseraError } from '@tessera/common';
import type { PipelineWorkerData, WorkerReply, WorkerRequest } from './protocol.js';
import { runJob } from './run-job.js';
import { spentBuffer } from './transfer.js';

const port = parentPort;
if (port === null) throw new Error('the pipeline worker must run in a worker thread');

const testHooks = (workerData as Partial<PipelineWorkerData> | null)?.testHooks === true;

port.on('message', (request: WorkerRequest) => {
  const { id, job } = request;
  if (job.kind === 'crash') {
    // Deliberately uncaught: exercises the pool's crash path (tests only).
    if (testHooks) throw new Error('pipeline worker crash requested by a test');
    const refused: WorkerReply = {
      type: 'done',
      id,
      stage: undefined,
      busyMs: 0,
      ok: false,
      error: { code: ErrorCodes.INVALID_ARGUMENT, message: 'unknown pipeline job', retriable: false },
    };
    port.postMessage(refused);
    return;
  }
  const started = performance.now();
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const ran = runJob(job);
    transfer = ran.transfer;
    reply = { type: 'done', id, stage: job.kind, busyMs: performance.now() - started, ok: true, result: ran.result };
  } catch (error) {
    // toWire: code, fixed message and retriability only; causes stay in this thread.
    reply = { type: 'done', id, stage: job.kind, busyMs: performance.now() - started, ok: false, error: toTesseraError(error).toWire() };
  }
  // runJob zero-filled it whole, success or not: it goes back to be reused.
  const spent = job.kind === 'identify' || job.kind === 'seal' ? spentBuffer(job.plaintext) : undefined;
  if (spent !== undefined) {
    reply = { ...reply, spent };
    transfer.push(spent);
  }
  // A stripe buffer the job did not encode into goes back as well.
  const spare = job.kind === 'seal' && job.into instanceof ArrayBuffer && !transfer.includes(job.into) ? job.into : undefined;
  if (spare !== undefined && spare.byteLength > 0) {
    reply = { ...reply, spare };
    transfer.push(spare);
  }
  port.postMessage(reply, transfer);
});

const ready: WorkerReply = { type: 'ready' };
port.postMessage(ready);
