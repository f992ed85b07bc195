/**
 * Every node tells the metadata group about its devices that failed
 * locally (the store's health probe found the folder gone or unreadable):
 * it proposes `setDeviceState failed` for a device the committed table
 * still has healthy, degraded or evacuating. Placement then stops choosing
 * it and the placement scrub rebuilds its shards elsewhere. Only failure is
 * reported: bringing a device back is an operator's decision.
 */
import type { Logger } from '@tessera/common';
import type { ShardStore } from '@tessera/storage';
import type { MetadataProposer } from '../data/proposer.js';
import type { MetadataMachine } from '../metadata/machine.js';

export async function reportFailedDevices(deps: {
  readonly nodeId: string;
  readonly store: Pick<ShardStore, 'info'>;
  readonly machine: MetadataMachine;
  readonly proposer: Pick<MetadataProposer, 'propose'>;
  readonly clock: () => number;
  readonly logger: Logger;
}): Promise<number> {
  const committed = new Map(deps.machine.devices().filter((d) => d.nodeId === deps.nodeId).map((d) => [d.deviceId, d.state]));
  let proposed = 0;
  for (const device of deps.store.info()) {
    if (device.state !== 'failed') continue;
    const state = committed.get(device.deviceId);
    if (state === undefined || state === 'failed' || state === 'removed') continue;
    const result = await deps.proposer.propose({ op: 'setDeviceState', timeMs: deps.clock(), nodeId: deps.nodeId, deviceId: device.deviceId, state: 'failed' });
    if (result.kind === 'error') deps.logger.warn('could not mark a failed device in the committed table', { device: device.deviceId, errorCode: result.code });
    else {
      proposed++;
      deps.logger.warn('device failed locally: marked failed in the committed table; its shards are rebuilt elsewhere', { device: device.deviceId });
    }
  }
  return proposed;
}
