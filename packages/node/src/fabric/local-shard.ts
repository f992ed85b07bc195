/** HasShard's answer from this node's own store (the Fabric handler and ClusterShardIo's local shortcut). */
import type { ShardKey, ShardStore } from '@tessera/storage';

/**
 * Payload length of the device's live record for `key`, or undefined when
 * the index names none. Index only: no payload byte is read, no CRC checked.
 * An unknown or failed device throws (UNKNOWN_DEVICE / DEVICE_UNAVAILABLE).
 */
export async function localShardLength(store: ShardStore, deviceId: string, key: ShardKey): Promise<number | undefined> {
  return (await store.device(deviceId).locate(key))?.payloadLength;
}
