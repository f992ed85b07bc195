/**
 * `promtool check metrics` (Debian package `prometheus`) for tests that lint
 * our metric families. Like SoftHSM2 and the vectors: when promtool is
 * missing the test skips with a one-line install hint, and under CI=true it
 * fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { isCi } from '@tessera/common/testing';

export const PROMTOOL_HINT = 'promtool not found (install the Debian package: apt-get install prometheus; see scripts/deps.txt)';

export function toolPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `it` when `tool` is installed; otherwise a skipped test naming the hint, or (CI=true) a failing one. */
export function itWithTool(tool: string, hint: string, title: string, body: () => Promise<void>, timeoutMs?: number): void {
  if (toolPath(tool) !== undefined) {
    it(title, body, timeoutMs);
  } else if (isCi()) {
    it(title, () => {
      throw new Error(hint);
    });
  } else {
    it.skip(`${title} — skipped: ${hint}`, () => undefined);
  }
}

/** Runs `promtool check metrics` on an exposition; resolves with its verdict and output (problems listed one per line). */
export function promtoolCheckMetrics(exposition: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('promtool', ['check', 'metrics'], { timeout: 30_000 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (err !== null && typeof err.code !== 'number') reject(err);
      else resolve({ ok: err === null, output });
    });
    child.stdin?.end(exposition);
  });
}

/** Only the families whose name starts with `prefix` (the HELP/TYPE/sample blocks of an exposition). */
export function familiesWithPrefix(exposition: string, prefix = 'tessera_'): string {
  const kept: string[] = [];
  let keep = false;
  for (const line of exposition.split('\n')) {
    const meta = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (meta !== null) keep = meta[1]!.startsWith(prefix);
    else if (line !== '' && !line.startsWith('#')) keep = line.startsWith(prefix);
    if (keep && line !== '') kept.push(line);
  }
  return kept.join('\n') + '\n';
}
