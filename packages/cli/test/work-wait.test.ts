/**
 * Following an evacuation and a re-encryption to the end (`device set-state
 * --wait`, `reencrypt status --wait`): the steps the progress bar shows, and
 * the waits against a scripted metadata leader whose work shrinks with every
 * MaintenanceStatus call.
 */
import { describe, expect, it } from 'vitest';
import type { MaintenanceStatusResponse__Output } from '@tessera/wire';
import type { NodeAdmin } from '../src/commands/node-admin.js';
import { WorkProgress } from '../src/commands/progress.js';
import { evacuationRemaining, evacuationStep, reencryptRemaining, reencryptStep, waitForEvacuation, waitForReencryption } from '../src/commands/work-wait.js';

function status(evacuating: number | undefined, oldChunks: readonly number[], available = true): MaintenanceStatusResponse__Output {
  return {
    nodeId: 'n1',
    evacuations: evacuating === undefined ? [] : [{ nodeId: 'n2', deviceId: 'd1', state: 'evacuating', remaining: String(evacuating), done: evacuating === 0 }],
    reencryption: { available, targetEpoch: '3', remaining: oldChunks.map((chunks, i) => ({ epoch: String(i + 1), chunks: String(chunks) })), rewritten: '0', failed: '1', deferred: '0' },
  } as unknown as MaintenanceStatusResponse__Output;
}

/** A NodeAdmin whose MaintenanceStatus answers the scripted statuses in turn (the last one repeats). */
function scripted(answers: readonly MaintenanceStatusResponse__Output[]): { admin: NodeAdmin; calls: () => number } {
  let calls = 0;
  const admin = { call: async () => answers[Math.min(calls++, answers.length - 1)] } as unknown as NodeAdmin;
  return { admin, calls: () => calls };
}

function lines(): { progress: WorkProgress; out: string[] } {
  const out: string[] = [];
  let now = 0;
  // Plain lines (not a terminal), with a clock far enough apart that every step is written.
  return { progress: new WorkProgress({ write: (t: string) => void out.push(t) }, false, () => (now += 60_000)), out };
}

describe('work steps', () => {
  it('counts an evacuation from the chunks on the device when the wait began', () => {
    expect(evacuationRemaining(status(7, []), 'n2', 'd1')).toBe(7);
    expect(evacuationRemaining(status(0, []), 'n2', 'd1')).toBe(0);
    expect(evacuationRemaining(status(7, []), 'n2', 'd2')).toBeUndefined();
    expect(evacuationStep(3, 10)).toEqual({ phase: 'evacuation', done: 7, total: 10, unit: 'chunks moved', note: '3 left' });
    // More left than at the start (new writes still landed there): never a negative count.
    expect(evacuationStep(12, 10)).toMatchObject({ done: 0, total: 12 });
  });

  it('sums the chunks still under older epochs', () => {
    expect(reencryptRemaining(status(undefined, [4, 5]))).toBe(9);
    expect(reencryptRemaining(status(undefined, []))).toBe(0);
    expect(reencryptStep(2, 9, 1)).toEqual({ phase: 're-encryption', done: 7, total: 9, unit: 'chunks', note: '1 failed so far (retried)' });
  });
});

describe('waiting for work', () => {
  it('follows an evacuation until the device holds nothing', async () => {
    const { admin, calls } = scripted([status(4, []), status(2, []), status(0, [])]);
    const { progress, out } = lines();
    await waitForEvacuation(admin, 'n2', 'd1', progress, Date.now() + 60_000);
    expect(calls()).toBe(3);
    expect(out.at(-1)).toContain('evacuation: [');
    expect(out.at(-1)).toContain('4/4 chunks moved 0 left');
  });

  it('follows re-encryption until no chunk is under an older epoch, and refuses without a key manager', async () => {
    const { admin } = scripted([status(undefined, [3, 1]), status(undefined, [1]), status(undefined, [])]);
    const { progress, out } = lines();
    const end = await waitForReencryption(admin, progress, Date.now() + 60_000);
    expect(reencryptRemaining(end)).toBe(0);
    expect(out.at(-1)).toContain('4/4 chunks');
    await expect(waitForReencryption(scripted([status(undefined, [], false)]).admin, progress, Date.now() + 60_000)).rejects.toMatchObject({ code: 'KM_NOT_INITIALIZED' });
  });

  it('gives up at the deadline, saying the work goes on', async () => {
    await expect(waitForEvacuation(scripted([status(5, [])]).admin, 'n2', 'd1', lines().progress, Date.now() - 1)).rejects.toMatchObject({ code: 'RAFT_TIMEOUT' });
  });
});
