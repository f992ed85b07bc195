/**
 * A simulated power loss (SIGUSR2 under TESSERA_CRASHSIM=1) ends the process
 * by SIGKILL even when work in flight fails on the stores it closes: the
 * chaos suite saw a node exit with code 1 instead (an apply writing to the
 * closed state-machine store), which its power-loss nemesis rightly reported.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'power-loss-process.ts');

describe('power-loss simulation in the run loop', () => {
  it('ends by SIGKILL, not by the errors of work cut off by the power loss', async () => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', fixture], { env: { ...process.env, TESSERA_CRASHSIM: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        if (b.toString().includes('"event":"ready"')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited before ready: ${stderr}`)));
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGUSR2');
    expect(await ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stderr).not.toContain('store is closed');
  }, 30_000);
});
