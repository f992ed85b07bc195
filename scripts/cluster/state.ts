/**
 * The local cluster's state file (`<data>/local-cluster.json`): who
 * supervises it (pid), what phase it is in, every process it started (id,
 * pid, ports, flags) and where its certificates are. `stop` and `status`
 * read it from another terminal; a second run on the same data dir reads it
 * to restart the same processes on the same ports instead of initialising.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NodePorts } from '@tessera/launcher';

export const STATE_FILE = 'local-cluster.json';
export const CONFIG_FILE = 'tessera.json';
/** A small file the printed example commands put (so they work whatever the working directory). */
export const SAMPLE_FILE = 'hello.txt';
export const SUPERVISOR_LOG = path.join('logs', 'local-cluster.log');

export type Phase = 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

export interface ProcessRecord {
  readonly id: string;
  readonly kind: 'keymanager' | 'node';
  readonly pid: number | undefined;
  readonly ports: NodePorts;
  /** Flags of this process beyond the launcher's (devices, key-manager address, root provider). */
  readonly args: readonly string[];
}

export interface TlsPaths {
  readonly cert: string;
  readonly key: string;
}

export interface ClusterState {
  readonly version: 1;
  readonly root: string;
  readonly trustDomain: string;
  readonly supervisorPid: number;
  readonly phase: Phase;
  /** True once the first run finished (key manager, nodes, demo tenant): later runs restart instead. */
  readonly initialized: boolean;
  readonly readyMs?: number;
  readonly error?: string;
  readonly processes: readonly ProcessRecord[];
  readonly ca: string;
  readonly crl: string;
  readonly admin: TlsPaths;
  readonly tenant?: {
    readonly id: string;
    readonly caCert: string;
    readonly admin: TlsPaths;
    readonly client: TlsPaths;
  };
  readonly configFile: string;
}

export function statePath(root: string): string {
  return path.join(root, STATE_FILE);
}

export async function readState(root: string): Promise<ClusterState | undefined> {
  let text: string;
  try {
    text = await readFile(statePath(root), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as ClusterState;
  if (parsed.version !== 1) throw new Error(`${statePath(root)}: unknown state version`);
  return parsed;
}

/** Written beside itself and renamed into place, so a reader never sees half a file. */
export async function writeState(state: ClusterState): Promise<void> {
  await writeJsonAtomic(statePath(state.root), state);
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

/** Whether `pid` is a live process (signal 0 probes without signalling). */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is still one of ours: alive and its command line names the
 * data dir (Linux /proc), so a recycled pid is never signalled.
 */
export async function ours(pid: number | undefined, root: string, marker: string): Promise<boolean> {
  if (!alive(pid)) return false;
  try {
    const cmdline = (await readFile(`/proc/${String(pid)}/cmdline`, 'utf8')).split('\0').join(' ');
    return cmdline.includes(marker) || cmdline.includes(root);
  } catch {
    return true; // no /proc: trust the pid
  }
}
