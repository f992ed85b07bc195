/**
 * A small pool of pipeline worker threads with a FIFO job queue.
 *
 * A worker runs one job at a time, but up to `depth` jobs are posted to it
 * ahead (default 1): with 2, the next job's bytes are copied and posted while
 * the current one runs, so a worker starts its next job as soon as it replies
 * instead of idling for a round trip through this thread's event loop (which
 * on a busy node also copies, checksums and writes). Further jobs wait here in
 * arrival order; idle workers are served before any worker gets a second job.
 * A worker that dies (an uncaught exception, an exit, a message that cannot
 * be read) fails the job it was running with retriable PIPELINE_WORKER_FAILED
 * and is replaced; the jobs posted behind it had not started, so they go back
 * to the front of the queue and are prepared again (their bytes went down with
 * the worker). If replacements keep dying before they are even ready, the
 * pool gives up rather than spinning, and fails every job from then on.
 *
 * Idle workers are unref'd, so a pool nobody closed never keeps a process
 * alive; a worker is ref'd while it runs a job.
 */
import { Worker } from 'node:worker_threads';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import type { JobRequest, PipelineWorkerData, WorkerReply, WorkerRequest } from './protocol.js';
import type { WorkerLaunch } from './worker-launch.js';

/** A finished job as the worker reported it. */
export type DoneReply = Extract<WorkerReply, { type: 'done' }>;

export interface WorkerPoolOptions {
  readonly size: number;
  /** Jobs posted to one worker at a time, the first running and the rest waiting in its port (default 1). */
  readonly depth?: number;
  readonly launch: WorkerLaunch;
  readonly workerData: PipelineWorkerData;
}

export interface WorkerPoolStats {
  /** Workers started and ready for jobs. */
  readonly ready: number;
  readonly queued: number;
  readonly running: number;
  readonly replaced: number;
}

/** Consecutive workers that may die before becoming ready before the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

/** A job as sent: the request and the ArrayBuffers to move with it. */
export interface PreparedJob {
  readonly job: JobRequest;
  readonly transfer: readonly ArrayBuffer[];
}

interface Pending {
  readonly id: number;
  readonly prepare: () => PreparedJob;
  readonly resolve: (reply: DoneReply) => void;
  readonly reject: (error: TesseraError) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  /** Jobs posted to this worker in order: the first is running, the others wait in its port. */
  readonly jobs: Pending[];
}

function closedError(): TesseraError {
  return new TesseraError(ErrorCodes.PIPELINE_CLOSED, 'chunk pipeline is closed');
}

function workerFailed(cause?: unknown): TesseraError {
  return new TesseraError(ErrorCodes.PIPELINE_WORKER_FAILED, 'chunk pipeline worker failed', { retriable: true, cause });
}

export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #replaced = 0;
  #startupFailures = 0;
  #closing = false;
  #broken: TesseraError | undefined;
  /** Settles when no job is running (used by close). */
  #idleWaiters: Array<() => void> = [];
  /** Waiting for every slot to hold a ready worker (after a replacement). */
  #fullWaiters: Array<() => void> = [];
  /** Startup: called once when the first `size` workers are ready, or with the first failure. */
  #onStarted: ((error?: TesseraError) => void) | undefined;

  private constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  /** Starts `size` workers and resolves once every one of them is ready. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    const started = new Promise<void>((resolve, reject) => {
      pool.#onStarted = (error) => (error === undefined ? resolve() : reject(error));
    });
    for (let i = 0; i < options.size; i++) pool.#spawn();
    try {
      await started;
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /**
   * Queues a job (FIFO); resolves with the worker's reply, or rejects with a
   * TesseraError. `prepare` builds the message only when a worker is free, so
   * queued jobs hold no copies of their bytes or keys and a burst of calls
   * does not copy everything on one turn of the event loop.
   */
  run(prepare: () => PreparedJob): Promise<DoneReply> {
    if (this.#closing) return Promise.reject(closedError());
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return new Promise<DoneReply>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, prepare, resolve, reject });
      this.#dispatch();
    });
  }

  stats(): WorkerPoolStats {
    let running = 0;
    let ready = 0;
    for (const slot of this.#slots) {
      running += slot.jobs.length;
      if (slot.ready) ready++;
    }
    return { ready, queued: this.#queue.length, running, replaced: this.#replaced };
  }

  /** Resolves once the pool again has `size` ready workers (e.g. after replacing a dead one), or is closing or has given up. */
  whenFull(): Promise<void> {
    if (this.#isFull() || this.#closing || this.#broken !== undefined) return Promise.resolve();
    return new Promise<void>((resolve) => this.#fullWaiters.push(resolve));
  }

  #isFull(): boolean {
    return this.#slots.size === this.#options.size && [...this.#slots].every((slot) => slot.ready);
  }

  /** Refuses queued and new jobs, lets running jobs finish, then stops every worker. */
  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      for (const pending of this.#queue.splice(0)) pending.reject(closedError());
      for (const wake of this.#fullWaiters.splice(0)) wake();
    }
    if (this.stats().running > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await Promise.all([...this.#slots].map((slot) => this.#retire(slot)));
  }

  #spawn(): void {
    const { launch, workerData } = this.#options;
    let worker: Worker;
    try {
      worker = new Worker(launch.script, { eval: launch.eval, workerData, ...(launch.execArgv === undefined ? {} : { execArgv: [...launch.execArgv] }) });
    } catch (error) {
      // Bad options (e.g. an execArgv flag workers refuse): no worker will ever start.
      this.#giveUp(workerFailed(error));
      return;
    }
    const slot: Slot = { worker, ready: false, dead: false, jobs: [] };
    this.#slots.add(slot);
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.#onMessage(slot, reply));
    worker.on('messageerror', (error) => this.#onDeath(slot, error));
    worker.on('error', (error) => this.#onDeath(slot, error));
    worker.on('exit', (code) => this.#onDeath(slot, new Error(`worker exited with code ${code}`)));
  }

  #onMessage(slot: Slot, reply: WorkerReply): void {
    if (slot.dead) return;
    if (reply.type === 'ready') {
      slot.ready = true;
      this.#startupFailures = 0;
      if (this.#isFull()) {
        const onStarted = this.#onStarted;
        this.#onStarted = undefined;
        onStarted?.();
        for (const wake of this.#fullWaiters.splice(0)) wake();
      }
      this.#dispatch();
      return;
    }
    const pending = slot.jobs[0];
    if (pending === undefined || pending.id !== reply.id) {
      // A reply to nothing we sent, or out of order: the worker cannot be trusted any more.
      this.#onDeath(slot, new Error('unexpected reply from worker'));
      return;
    }
    this.#finish(slot, pending);
    pending.resolve(reply);
    this.#dispatch();
  }

  /** Fails the dead worker's job, forgets the worker, and starts a replacement unless closing or given up. */
  #onDeath(slot: Slot, cause: unknown): void {
    if (slot.dead) return;
    slot.dead = true;
    this.#slots.delete(slot);
    const [running, ...waiting] = slot.jobs;
    if (running !== undefined) {
      this.#finish(slot, running);
      running.reject(workerFailed(cause));
    }
    // Posted behind the failed job but never started: back to the front, in order, to be prepared again.
    for (const pending of waiting) this.#finish(slot, pending);
    if (this.#closing || this.#broken !== undefined) {
      for (const pending of waiting) pending.reject(this.#broken ?? closedError());
    } else {
      this.#queue.unshift(...waiting);
    }
    void slot.worker.terminate().catch(() => undefined);
    if (this.#closing) return;
    if (!slot.ready) this.#startupFailures++;
    // A worker that dies while the pool is starting is replaced like any other (a node restarting
    // right after a power loss saw one die once); only repeated deaths before ready give up.
    if (this.#startupFailures >= MAX_STARTUP_FAILURES) {
      this.#giveUp(workerFailed(cause));
      return;
    }
    this.#replaced++;
    this.#spawn();
  }

  /** No worker can be started: fail startup, every queued job and every later one. */
  #giveUp(error: TesseraError): void {
    this.#broken ??= error;
    const onStarted = this.#onStarted;
    this.#onStarted = undefined;
    onStarted?.(error);
    for (const pending of this.#queue.splice(0)) pending.reject(error);
    for (const wake of this.#fullWaiters.splice(0)) wake();
  }

  #dispatch(): void {
    // Idle workers first, then one more job each, up to the depth: two jobs never wait on one worker while another idles.
    const depth = this.#options.depth ?? 1;
    for (let posted = 0; posted < depth && this.#queue.length > 0; posted++) {
      for (const slot of this.#slots) {
        if (!slot.ready || slot.dead) continue;
        // A slot whose job failed to prepare takes the next one.
        while (slot.jobs.length <= posted && this.#queue.length > 0) this.#assign(slot);
      }
    }
  }

  /** Takes the next queued job for an idle slot: builds its message and posts it. */
  #assign(slot: Slot): void {
    const pending = this.#queue.shift()!;
    let prepared: PreparedJob;
    try {
      prepared = pending.prepare();
    } catch (error) {
      // E.g. a key destroyed while the job waited: fail this job only.
      pending.reject(toTesseraError(error));
      return;
    }
    slot.jobs.push(pending);
    slot.worker.ref();
    const request: WorkerRequest = { id: pending.id, job: prepared.job };
    try {
      slot.worker.postMessage(request, [...prepared.transfer]);
    } catch (error) {
      // Nothing was sent (e.g. a buffer that cannot be transferred): fail this job only.
      this.#finish(slot, pending);
      pending.reject(new TesseraError(ErrorCodes.INTERNAL, 'internal error', { cause: error }));
    }
  }

  /** Forgets `pending` on its slot; an idle worker no longer keeps the process alive. */
  #finish(slot: Slot, pending: Pending): void {
    const at = slot.jobs.indexOf(pending);
    if (at >= 0) slot.jobs.splice(at, 1);
    if (slot.jobs.length === 0) slot.worker.unref();
    if (this.stats().running === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #retire(slot: Slot): Promise<void> {
    slot.dead = true;
    this.#slots.delete(slot);
    await slot.worker.terminate();
  }
}
