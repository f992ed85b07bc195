/**
 * Evacuation (leader only; DESIGN section 6): every chunk with a current
 * slot on a device the committed table has `evacuating` is queued for
 * repair with reason `evacuate` and that slot to vacate (the shard is copied
 * when it reads, rebuilt otherwise). The device keeps serving reads meanwhile.
 * Chunks on a `failed` or `removed` device are queued the same way (reason
 * `device`) as soon as the table says so, without waiting for the next
 * placement scrub pass.
 *
 * When no live record places a shard there any more, the evacuation is
 * reported done (status and log) and the device stays `evacuating`: the
 * operator moves it to `removed` (an audited decision; retired copies on it
 * are still read until gcGrace has passed). Nothing here removes a device.
 */
import type { Logger } from '@tessera/common';
import type { MetadataMachine } from '../metadata/machine.js';
import type { DeviceState } from '../metadata/types.js';
import type { RepairQueue } from './repair-queue.js';

export interface EvacuationStatus {
  readonly nodeId: string;
  readonly deviceId: string;
  /** evacuating, or failed/removed (its shards are rebuilt elsewhere). */
  readonly state: DeviceState;
  /** Live records with a slot on the device (counted up to COUNT_LIMIT). */
  readonly remaining: number;
  readonly done: boolean;
}

const PAGE = 64;
const COUNT_LIMIT = 100_000;

export class Evacuator {
  private readonly cursors = new Map<string, Buffer | undefined>();
  private readonly reportedDone = new Set<string>();
  private statuses: EvacuationStatus[] = [];

  constructor(
    private readonly deps: { readonly machine: MetadataMachine; readonly queue: RepairQueue; readonly logger: Logger },
  ) {}

  status(): readonly EvacuationStatus[] {
    return this.statuses;
  }

  /** Queues up to a page of moves per evacuating device. */
  turn(): void {
    const { machine, queue, logger } = this.deps;
    const statuses: EvacuationStatus[] = [];
    for (const device of machine.devices()) {
      if (device.state !== 'evacuating' && device.state !== 'failed' && device.state !== 'removed') continue;
      const key = `${device.nodeId}\u0000${device.deviceId}`;
      const remaining = machine.chunksOnDevice(device.nodeId, device.deviceId, COUNT_LIMIT).length;
      statuses.push({ nodeId: device.nodeId, deviceId: device.deviceId, state: device.state, remaining, done: remaining === 0 });
      if (remaining === 0) {
        if (!this.reportedDone.has(key) && device.state === 'evacuating') logger.info('device evacuated: no live shard left on it; an operator may now remove it', { peerNode: device.nodeId, device: device.deviceId });
        this.reportedDone.add(key);
        continue;
      }
      this.reportedDone.delete(key);
      const page = machine.chunksOnDevice(device.nodeId, device.deviceId, PAGE, this.cursors.get(key));
      // At the end of the table, start over: moves that failed are tried again.
      this.cursors.set(key, page.length < PAGE ? undefined : page[page.length - 1]!.chunkId);
      for (const record of page) {
        if (queue.has(record.chunkId)) continue;
        if (!queue.enqueue({ chunkId: record.chunkId, writeId: record.writeId, judged: record.slots, reason: device.state === 'evacuating' ? 'evacuate' : 'device', knownBad: [], vacate: [{ nodeId: device.nodeId, deviceId: device.deviceId }] })) break;
      }
    }
    this.statuses = statuses;
  }
}
