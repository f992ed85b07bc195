/**
 * One process started by the launcher — a storage node (`tessera node
 * start`) or a key manager (`tessera keymanager start`, same contract):
 * learn its ports from `<data dir>/ports.json` (written by the node once it
 * serves, stamped with its pid), deliver signals (kill -9, SIGTERM,
 * SIGSTOP/SIGCONT, SIGUSR2), and keep its stdout and stderr in a log file.
 *
 * Only the process this object spawned is ever signalled, by its pid. The
 * node's stdin is a pipe from this process: if the launcher dies without
 * stopping it (a test runner killed mid-run), the pipe closes and the node
 * stops itself, so no orphan outlives its launcher.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { NodeCommand } from './command.js';
import { pollUntil } from './wait.js';

/** The node's ports file (see @tessera/node's `PortsInfo`; a documented file contract). */
export interface NodePorts {
  readonly pid: number;
  readonly nodeId: string;
  readonly incarnationId: string;
  readonly clusterId: string;
  readonly peerAddress: string;
  readonly clientAddress: string;
  /** HTTP port (/healthz, /readyz) of processes that serve one. */
  readonly httpAddress?: string;
  /** Bulk port (ADR 0026) of a storage node that serves one. */
  readonly bulkAddress?: string;
  /** Client-facing bulk port (tenants' chunk uploads) of a storage node that serves one. */
  readonly clientBulkAddress?: string;
}

export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export type NodeState = 'stopped' | 'running' | 'paused';

export interface NodeProcessOptions {
  readonly id: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly command: NodeCommand;
  /** Environment added to the launcher's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Deadline for the ports file after a start. Default 30 s. */
  readonly readyTimeoutMs?: number;
  /** The CLI verb that runs the process. Default `node start`; a key manager is `keymanager start`. */
  readonly verb?: readonly string[];
  /** Ports of an earlier run (a cluster reopened from its files), so a restart binds them again. */
  readonly lastPorts?: NodePorts;
}

const PORTS_FILE = 'ports.json';
/** Tells a node to stop when its stdin closes (see @tessera/node's runNode). */
const STOP_ON_STDIN_CLOSE_ENV = 'TESSERA_STOP_ON_STDIN_CLOSE';

function isPorts(v: unknown): v is NodePorts {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isInteger(o['pid']) &&
    ['nodeId', 'incarnationId', 'clusterId', 'peerAddress', 'clientAddress'].every((k) => typeof o[k] === 'string') &&
    (o['bulkAddress'] === undefined || typeof o['bulkAddress'] === 'string') &&
    (o['clientBulkAddress'] === undefined || typeof o['clientBulkAddress'] === 'string')
  );
}

/** Every child still running when the launcher's process exits is killed with it. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

export class NodeProcess {
  readonly id: string;
  readonly dataDir: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exitPromise: Promise<NodeExit> | undefined;
  private paused = false;
  private portsValue: NodePorts | undefined;
  /** How the last run ended (undefined while running or never started). */
  lastExit: NodeExit | undefined;

  constructor(private readonly options: NodeProcessOptions) {
    this.id = options.id;
    this.dataDir = options.dataDir;
    this.logFile = options.logFile;
    this.portsValue = options.lastPorts;
  }

  get state(): NodeState {
    if (this.child === undefined) return 'stopped';
    return this.paused ? 'paused' : 'running';
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ports of the current (or last) run. */
  get ports(): NodePorts {
    if (this.portsValue === undefined) throw new TesseraError(ErrorCodes.LAUNCHER_PROCESS_EXITED, `node ${this.id} never became ready`);
    return this.portsValue;
  }

  get hasRun(): boolean {
    return this.portsValue !== undefined;
  }

  /**
   * Spawns the verb (`node start` by default) with `args` (after `--id` and `--data-dir`) and
   * resolves once the node wrote its ports file; fails with the log's tail
   * if the process exits first or the deadline passes.
   */
  async start(args: readonly string[]): Promise<NodePorts> {
    if (this.child !== undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `node ${this.id} is already running`);
    await rm(path.join(this.dataDir, PORTS_FILE), { force: true });
    const { command } = this.options;
    const fd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command.executable, [...command.args, ...(this.options.verb ?? ['node', 'start']), '--id', this.id, '--data-dir', this.dataDir, ...args], {
        cwd: command.cwd,
        // The node stops when this pipe closes, i.e. when the launcher's process is gone however it ended.
        env: { ...process.env, ...this.options.env, [STOP_ON_STDIN_CLOSE_ENV]: '1' },
        stdio: ['pipe', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    child.stdin?.on('error', () => undefined);
    trackChild(child);
    this.child = child;
    this.paused = false;
    this.lastExit = undefined;
    this.exitPromise = new Promise<NodeExit>((resolve) => {
      child.once('exit', (code, signal) => {
        child.stdin?.destroy();
        const exit = { code, signal };
        this.lastExit = exit;
        if (this.child === child) {
          this.child = undefined;
          this.paused = false;
        }
        resolve(exit);
      });
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    try {
      this.portsValue = await pollUntil(
        `node ${this.id} to be ready`,
        async () => {
          if (this.child !== child) {
            throw new TesseraError(ErrorCodes.LAUNCHER_PROCESS_EXITED, `node ${this.id} exited during start-up (${describeExit(this.lastExit)}):\n${await this.logTail(20)}`);
          }
          const ports = await this.readPorts();
          return ports !== undefined && ports.pid === child.pid ? ports : undefined;
        },
        { timeoutMs: this.options.readyTimeoutMs ?? 30_000 },
      );
    } catch (err) {
      if (this.child === child) await this.kill('SIGKILL');
      throw err;
    }
    return this.portsValue;
  }

  private async readPorts(): Promise<NodePorts | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(path.join(this.dataDir, PORTS_FILE), 'utf8'));
      return isPorts(parsed) ? parsed : undefined;
    } catch {
      return undefined; // not written yet (or being renamed into place)
    }
  }

  /** Sends a signal to the running process (SIGSTOP/SIGCONT also track the paused state). */
  signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child === undefined) throw new TesseraError(ErrorCodes.LAUNCHER_PROCESS_EXITED, `node ${this.id} is not running`);
    child.kill(signal);
    if (signal === 'SIGSTOP') this.paused = true;
    if (signal === 'SIGCONT') this.paused = false;
  }

  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }

  /** Resolves when the current run ends (at once when not running). */
  async exited(timeoutMs = 30_000): Promise<NodeExit> {
    const exit = this.exitPromise;
    if (this.child === undefined || exit === undefined) return this.lastExit ?? { code: null, signal: null };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TesseraError(ErrorCodes.LAUNCHER_TIMEOUT, `node ${this.id} did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([exit, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` (default SIGKILL: kill -9) and waits for the process to end. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<NodeExit> {
    if (this.child === undefined) return this.lastExit ?? { code: null, signal: null };
    this.signal(signal);
    return this.exited();
  }

  /** SIGTERM (resuming a paused process so it can act on it), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<NodeExit> {
    if (this.child === undefined) return this.lastExit ?? { code: null, signal: null };
    this.signal('SIGTERM');
    if (this.paused) this.signal('SIGCONT');
    try {
      return await this.exited(graceMs);
    } catch {
      return this.kill('SIGKILL');
    }
  }

  /** The last `lines` lines of the node's log. */
  async logTail(lines = 50): Promise<string> {
    try {
      const text = await readFile(this.logFile, 'utf8');
      return text.split('\n').slice(-lines - 1).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Log lines (JSON objects) of every run so far; lines that are not JSON are skipped. */
  async logRecords(): Promise<Array<Record<string, unknown>>> {
    let text: string;
    try {
      text = await readFile(this.logFile, 'utf8');
    } catch {
      return [];
    }
    const out: Array<Record<string, unknown>> = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by kill -9
      }
    }
    return out;
  }
}

function describeExit(exit: NodeExit | undefined): string {
  if (exit === undefined) return 'unknown';
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}
