/**
 * The machine a benchmark ran on, for its header: figures mean little
 * without the CPU, core count, memory, Node version and the disk under the
 * temporary directory, and a shared machine's load average.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** The temporary directory and the device and file system under it (`findmnt`), or `unknown`. */
  readonly disk: string;
}

export function machineInfo(): MachineInfo {
  return { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), disk: tmpDisk() };
}

/** One line: `AMD EPYC, 2 cores, 24 GiB, Node v20.20.2, /tmp on /dev/vda ext4`. */
export function machineLine(m: MachineInfo = machineInfo()): string {
  return `${m.cpuModel}, ${m.cpus} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.disk}`;
}

/** The 1, 5 and 15 minute load averages, two decimals each. */
export function loadAverage(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

function tmpDisk(): string {
  const run = spawnSync('findmnt', ['-no', 'SOURCE,FSTYPE', '-T', os.tmpdir()], { encoding: 'utf8' });
  const found = run.status === 0 ? run.stdout.trim().replace(/\s+/g, ' ') : 'unknown';
  return `${os.tmpdir()} on ${found}`;
}
