/**
 * Disk faults on a node's device folders: bytes flipped inside shard records
 * of an extent file (CRC32C must catch every one; reads fall back to
 * parity), a device folder deleted (the node restarted without it), and a
 * device filled past the critical threshold (its configured capacity cut to
 * just above what it holds, through a restart). None is repaired here:
 * bringing chunks back to full redundancy is the repair duty's job.
 */
import { open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { chooseNode, waitRecovered } from './targets.js';
import type { Nemesis, NemesisContext } from './types.js';
import { pick } from './types.js';

/** Extent files start with a 4 KiB header; records follow it. */
const EXTENT_HEADER_BYTES = 4_096;
const EXTENT_SUFFIX = '.ext';

async function extentFiles(devicePath: string): Promise<Array<{ file: string; size: number }>> {
  const dir = path.join(devicePath, 'extents');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: Array<{ file: string; size: number }> = [];
  for (const name of names.filter((n) => n.endsWith(EXTENT_SUFFIX)).sort()) {
    const file = path.join(dir, name);
    out.push({ file, size: (await stat(file)).size });
  }
  return out;
}

async function deviceBytes(devicePath: string): Promise<number> {
  return (await extentFiles(devicePath)).reduce((sum, f) => sum + f.size, 0);
}

/** Flips `count` bytes (XOR 0xff) at seeded offsets past the header of one extent file of a device that holds records. */
async function flipBytes(ctx: NemesisContext, id: string, count: number): Promise<string> {
  const devices = ctx.cluster.deviceSpecs(id);
  const candidates: Array<{ device: string; file: string; size: number }> = [];
  for (const d of devices) for (const f of await extentFiles(d.path)) if (f.size > EXTENT_HEADER_BYTES + 1_024) candidates.push({ device: d.id, ...f });
  if (candidates.length === 0) throw new TesseraError(ErrorCodes.CHAOS_RUN, `${id} holds no shard record to corrupt yet`);
  const target = pick(ctx.random, candidates);
  const handle = await open(target.file, 'r+');
  try {
    const one = Buffer.alloc(1);
    for (let i = 0; i < count; i++) {
      const offset = EXTENT_HEADER_BYTES + Math.floor(ctx.random() * (target.size - EXTENT_HEADER_BYTES));
      await handle.read(one, 0, 1, offset);
      one[0] = one[0]! ^ 0xff;
      await handle.write(one, 0, 1, offset);
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return `${count} bytes flipped in ${target.device}/${path.basename(target.file)}`;
}

export function flipShardBytesNemesis(holdMs: number, count = 16): Nemesis {
  return {
    name: 'disk',
    action: 'flip-shard-bytes',
    async run(ctx) {
      const id = await chooseNode(ctx, 'any');
      const detail = await flipBytes(ctx, id, count);
      const window = ctx.faults.begin('disk', 'flip-shard-bytes', [id], detail);
      await ctx.hold(holdMs);
      ctx.faults.end(window);
    },
  };
}

/** kill -9 a node, delete one of its device folders, start it again without that device's data. */
export function deviceLossNemesis(holdMs: number): Nemesis {
  return {
    name: 'disk',
    action: 'device-loss',
    async run(ctx) {
      const id = await chooseNode(ctx, 'follower');
      const device = pick(ctx.random, ctx.cluster.deviceSpecs(id));
      const window = ctx.faults.begin('disk', 'device-loss', [id], `device ${device.id} deleted (kill -9, rm -rf, restart)`);
      await ctx.cluster.launcher.kill(id, 'SIGKILL');
      await rm(device.path, { recursive: true, force: true });
      await ctx.cluster.restart(id);
      await ctx.hold(holdMs);
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}

/** A device's capacity cut so it is past the critical threshold (no new placements), then restored. */
export function fillDeviceNemesis(holdMs: number): Nemesis {
  return {
    name: 'disk',
    action: 'fill-device',
    async run(ctx) {
      const id = await chooseNode(ctx, 'follower');
      const device = pick(ctx.random, ctx.cluster.deviceSpecs(id));
      const original = device.capacityBytes;
      const used = Math.max(await deviceBytes(device.path), 64 * 1_024);
      // 90 % full: past critical (85 %), short of read-only (92 %).
      const capacity = Math.ceil(used / 0.9);
      const window = ctx.faults.begin('disk', 'fill-device', [id], `device ${device.id} at 90 % of a ${capacity}-byte capacity (restart)`);
      await ctx.cluster.launcher.stop(id, 10_000);
      ctx.cluster.setDeviceCapacity(id, device.id, capacity);
      await ctx.cluster.restart(id);
      await waitRecovered(ctx);
      await ctx.hold(holdMs);
      await ctx.cluster.launcher.stop(id, 10_000);
      ctx.cluster.setDeviceCapacity(id, device.id, original);
      await ctx.cluster.restart(id);
      ctx.faults.end(window);
      await waitRecovered(ctx);
    },
  };
}
