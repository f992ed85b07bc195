/**
 * Runs one `tessera` command to completion as a real process (the same
 * command the launcher starts nodes with) and captures its output: how
 * multi-process tests drive the CLI (`keymanager init`, `audit verify`, …)
 * exactly as an operator would, exit code included.
 */
import { spawn } from 'node:child_process';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { NodeCommand } from './command.js';

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** Environment added to the launcher's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed (SIGKILL) after this long. Default 60 s. */
  readonly timeoutMs?: number;
}

export function runCliCommand(command: NodeCommand, args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise<CliRun>((resolve, reject) => {
    const child = spawn(command.executable, [...command.args, ...args], { cwd: command.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (cause) => {
      clearTimeout(timer);
      reject(new TesseraError(ErrorCodes.LAUNCHER_PROCESS_EXITED, 'cannot run the tessera command', { cause }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
