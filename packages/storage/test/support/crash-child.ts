/**
 * Child process for the crash-safety test: writes shards as fast as it can
 * from several concurrent writers and prints `ACK <key> <length>` for every
 * write the device said is durable. On SIGUSR2 it simulates a power loss
 * (TESSERA_CRASHSIM=1 drops every byte no completed fdatasync covered) and
 * kills itself with SIGKILL, so nothing is flushed on the way out.
 *
 * usage: node --conditions=development --import tsx crash-child.ts <device dir> <round> [direct]
 * Mutations come from TESSERA_MUTATE, as in a real node.
 */
import { Device } from '../../src/device/device.js';
import { simulateStoragePowerLoss } from '../../src/io/crashsim-file.js';
import { hex, keyFromSeed, payloadFor } from './shards.js';

const [dir, roundArg, mode] = process.argv.slice(2);
if (dir === undefined || roundArg === undefined) throw new Error('usage: crash-child.ts <dir> <round> [direct]');
const round = Number(roundArg);

const device = await Device.open({
  nodeId: 'node-crash',
  deviceId: 'd1',
  path: dir,
  capacityBytes: 1024 * 1024 * 1024,
  maxExtentBytes: 1024 * 1024,
  directIo: mode === 'direct',
  indexSyncEvery: 8,
});

let stopping = false;
process.on('SIGUSR2', () => {
  stopping = true;
  void simulateStoragePowerLoss().finally(() => process.kill(process.pid, 'SIGKILL'));
});

async function writer(id: number): Promise<void> {
  for (let seq = 0; !stopping; seq++) {
    const key = keyFromSeed(round * 1_000_000 + id * 10_000 + seq, id % 6, round);
    const length = 1 + ((seq * 7919 + id * 104_729) % (48 * 1024));
    try {
      await device.put({ ...key, payload: payloadFor(key, length), sysEpoch: 1, gatewayTime: Date.now() });
    } catch {
      return; // the power went out under this write: it was never acknowledged
    }
    process.stdout.write(`ACK ${hex(key)} ${length}\n`);
  }
}

process.stdout.write('READY\n');
await Promise.all(Array.from({ length: 6 }, (_, i) => writer(i)));
