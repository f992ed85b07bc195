/**
 * Debian tools the operations tests drive (scripts/deps.txt). Absent: the
 * suite skips with a one-line install hint; under CI=true it fails instead
 * (DESIGN section 9).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { isCi } from '@tessera/common/testing';

export interface Tool {
  readonly command: string;
  /** How to get it, in one line. */
  readonly hint: string;
}

export const TOOLS = {
  systemdAnalyze: { command: 'systemd-analyze', hint: 'install systemd (Debian: apt-get install systemd)' },
  dockerCompose: { command: 'docker-compose', hint: 'apt-get install docker-compose (listed in scripts/deps.txt)' },
  kubectl: { command: 'kubectl', hint: 'install kubectl (https://kubernetes.io/docs/tasks/tools/), which bundles kustomize' },
  promtool: { command: 'promtool', hint: 'apt-get install prometheus (ships promtool; listed in scripts/deps.txt)' },
  pythonYaml: { command: 'python3', hint: 'apt-get install python3-yaml (listed in scripts/deps.txt)' },
} as const satisfies Record<string, Tool>;

export function toolAvailable(tool: Tool): boolean {
  if (tool === TOOLS.pythonYaml) return spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
  try {
    return execFileSync('sh', ['-c', `command -v ${tool.command}`], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

/** A describe block that needs every tool given: skipped with a hint when one is absent, failed under CI. */
export function describeWithTools(title: string, tools: readonly Tool[], body: () => void): void {
  const missing = tools.filter((t) => !toolAvailable(t));
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const hint = missing.map((t) => `${t.command} absent: ${t.hint}`).join('; ');
  if (isCi()) {
    describe(title, () => {
      it('has its tools under CI', () => {
        throw new Error(hint);
      });
    });
  } else {
    describe.skip(`${title} — skipped: ${hint}`, () => {
      it('tool absent', () => undefined);
    });
  }
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): RunResult {
  const res = spawnSync(command, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
