/**
 * Following long maintenance work to its end with a progress bar (issue #10):
 * the evacuation of a device (`device set-state … --wait`) and the
 * re-encryption after a system-epoch rotation (`reencrypt status --wait`).
 * Both poll the metadata leader's MaintenanceStatus; the steps shown are
 * computed by the pure functions below (tested on their own).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { u64Number, type MaintenanceStatusResponse__Output } from '@tessera/wire';
import type { CliIo } from '../io.js';
import type { NodeAdmin } from './node-admin.js';
import type { WorkProgress, WorkStep } from './progress.js';

/** How often a wait asks the leader how far the work got. */
export const WORK_POLL_MS = 500;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function stderrIsTty(io: CliIo): boolean {
  return io.stderr === process.stderr && process.stderr.isTTY;
}

export async function maintenanceStatus(admin: NodeAdmin): Promise<MaintenanceStatusResponse__Output> {
  return admin.call<MaintenanceStatusResponse__Output>((c, o, cb) => c.MaintenanceStatus({}, o, cb));
}

/** Chunks still placing a shard on the device; undefined when the leader does not list it (nothing left, or not evacuating). */
export function evacuationRemaining(s: MaintenanceStatusResponse__Output, node: string, device: string): number | undefined {
  const e = s.evacuations.find((x) => x.nodeId === node && x.deviceId === device);
  if (e === undefined || e.done) return e === undefined ? undefined : 0;
  return u64Number(e.remaining);
}

/** The progress step of an evacuation that had `initial` chunks on the device when the wait began. */
export function evacuationStep(remaining: number, initial: number): WorkStep {
  const total = Math.max(initial, remaining);
  return { phase: 'evacuation', done: total - remaining, total, unit: 'chunks moved', note: `${remaining} left` };
}

/** Live chunks still sealed under an epoch older than the target, summed. */
export function reencryptRemaining(s: MaintenanceStatusResponse__Output): number {
  return (s.reencryption?.remaining ?? []).reduce((sum, e) => sum + u64Number(e.chunks), 0);
}

export function reencryptStep(remaining: number, initial: number, failed: number): WorkStep {
  const total = Math.max(initial, remaining);
  return { phase: 're-encryption', done: total - remaining, total, unit: 'chunks', note: failed > 0 ? `${failed} failed so far (retried)` : '' };
}

/** Waits until no live chunk places a shard on the device. */
export async function waitForEvacuation(admin: NodeAdmin, node: string, device: string, progress: WorkProgress, deadline: number): Promise<void> {
  let initial: number | undefined;
  for (;;) {
    const remaining = evacuationRemaining(await maintenanceStatus(admin), node, device) ?? 0;
    initial ??= remaining;
    progress.update(evacuationStep(remaining, initial));
    if (remaining === 0) return;
    if (Date.now() > deadline) throw new TesseraError(ErrorCodes.RAFT_TIMEOUT, 'the evacuation did not finish before --timeout (it goes on; see `tessera scrub status`)');
    await sleep(WORK_POLL_MS);
  }
}

/** Waits until no live chunk is sealed under an older system epoch; resolves with the last status. */
export async function waitForReencryption(admin: NodeAdmin, progress: WorkProgress, deadline: number): Promise<MaintenanceStatusResponse__Output> {
  let initial: number | undefined;
  for (;;) {
    const s = await maintenanceStatus(admin);
    if (s.reencryption?.available === false) throw new TesseraError(ErrorCodes.KM_NOT_INITIALIZED, 'the metadata leader runs without a key manager: no re-encryption');
    const remaining = reencryptRemaining(s);
    initial ??= remaining;
    progress.update(reencryptStep(remaining, initial, u64Number(s.reencryption?.failed ?? '0')));
    if (remaining === 0) return s;
    if (Date.now() > deadline) throw new TesseraError(ErrorCodes.RAFT_TIMEOUT, 're-encryption did not finish before --timeout (it goes on; see `tessera reencrypt status`)');
    await sleep(WORK_POLL_MS);
  }
}
