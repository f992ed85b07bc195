/**
 * How the launcher runs a node: the repository's `tessera` CLI, either from
 * its TypeScript sources through tsx with the `development` export condition
 * (no build needed, never stale) or from the compiled `dist/`. The process
 * is spawned directly — not through `bin/tessera`, which forwards only some
 * signals — so SIGKILL, SIGSTOP and SIGUSR2 reach the node itself.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface NodeCommand {
  /** Program to run (node). */
  readonly executable: string;
  /** Arguments before `node start ...`. */
  readonly args: readonly string[];
  /** Working directory of the process. */
  readonly cwd: string;
}

export type CliMode = 'source' | 'dist';

/** The repository checkout this launcher belongs to (the directory holding packages/cli). */
export function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'packages', 'cli', 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new TesseraError(ErrorCodes.LAUNCHER_NO_CLI, 'cannot find the repository (packages/cli) above the launcher');
}

/** `tessera` run from sources (tsx) or from the build. */
export function cliNodeCommand(mode: CliMode = (process.env['TESSERA_CLI_MODE'] as CliMode | undefined) ?? 'source'): NodeCommand {
  const root = repositoryRoot();
  if (mode === 'dist') {
    const built = path.join(root, 'packages', 'cli', 'dist', 'src', 'bin.js');
    if (!existsSync(built)) throw new TesseraError(ErrorCodes.LAUNCHER_NO_CLI, 'no build of the CLI (run `npm run build`)');
    return { executable: process.execPath, args: [...profileArgs(), built], cwd: root };
  }
  const source = path.join(root, 'packages', 'cli', 'src', 'bin.ts');
  const profile = profileArgs();
  if (!existsSync(source)) throw new TesseraError(ErrorCodes.LAUNCHER_NO_CLI, 'no CLI sources found');
  // `--import tsx` resolves from the working directory: the repository root, where tsx is installed.
  return { executable: process.execPath, args: [...profile, '--conditions=development', '--import', 'tsx', source], cwd: root };
}

/**
 * `TESSERA_NODE_CPU_PROFILE_DIR=<dir>`: every process the launcher starts
 * writes a V8 CPU profile there when it exits cleanly (a debugging aid for
 * the benchmarks; Node refuses --cpu-prof in NODE_OPTIONS).
 */
function profileArgs(): string[] {
  const dir = process.env['TESSERA_NODE_CPU_PROFILE_DIR'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
