import { ErrorCodes, TesseraError } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_STATES, assertTransition, canTransition, capabilitiesOf, type DeviceState } from '../src/device/state.js';
import { THRESHOLDS, admitNewData, assertPlaceable, deviceLimitFor, usageLevel } from '../src/device/thresholds.js';
import type { DeviceStateChange } from '../src/device/types.js';
import { openTestDevice, testDirs } from './support/devices.js';
import { payloadFor, randomKey } from './support/shards.js';

const dirs = testDirs('state');
afterEach(() => dirs.cleanup());

describe('device state machine', () => {
  const legal: Array<[DeviceState, DeviceState]> = [
    ['healthy', 'degraded'],
    ['degraded', 'evacuating'],
    ['evacuating', 'failed'],
    ['failed', 'removed'],
    ['degraded', 'healthy'],
    ['healthy', 'evacuating'],
    ['healthy', 'failed'],
    ['degraded', 'failed'],
    ['evacuating', 'healthy'],
    ['evacuating', 'removed'],
  ];

  it('allows exactly the documented transitions', () => {
    for (const from of DEVICE_STATES) {
      for (const to of DEVICE_STATES) {
        const expected = from === to || legal.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
        if (!expected) expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: ErrorCodes.DEVICE_BAD_TRANSITION }));
      }
    }
  });

  it('lets only removed devices be detached, and evacuating ones serve reads but take no writes', () => {
    expect(DEVICE_STATES.filter((s) => capabilitiesOf(s).detachable)).toEqual(['removed']);
    expect(capabilitiesOf('evacuating')).toMatchObject({ readable: true, acceptsShards: false, acceptsMaintenance: true, placeable: false });
    expect(DEVICE_STATES.filter((s) => capabilitiesOf(s).placeable)).toEqual(['healthy']);
  });

  it('enforces the state on a real device and reports each change', async () => {
    const changes: DeviceStateChange[] = [];
    const device = await openTestDevice({ path: await dirs.make(), onStateChange: (c) => changes.push(c) });
    const key = randomKey();
    const write = { ...key, payload: payloadFor(key, 10), sysEpoch: 0, gatewayTime: 1 };
    await device.put(write);
    device.setState('evacuating', 'operator drain');
    await expect(device.put({ ...write, ...randomKey() })).rejects.toMatchObject({ code: ErrorCodes.DEVICE_UNAVAILABLE });
    expect((await device.read(key)).payload.length).toBe(10);
    expect(() => device.setState('degraded', 'nope')).toThrow(expect.objectContaining({ code: ErrorCodes.DEVICE_BAD_TRANSITION }));
    device.setState('failed', 'disk died');
    await expect(device.read(key)).rejects.toMatchObject({ code: ErrorCodes.DEVICE_UNAVAILABLE });
    expect(changes.map((c) => `${c.from}>${c.to}:${c.reason}`)).toEqual(['healthy>evacuating:operator drain', 'evacuating>failed:disk died']);
    await device.close();
  });
});

describe('fill thresholds', () => {
  it('maps fill ratios to levels at 75/85/92/97 %', () => {
    expect(usageLevel(74, 100)).toBe('ok');
    expect(usageLevel(75, 100)).toBe('warning');
    expect(usageLevel(85, 100)).toBe('critical');
    expect(usageLevel(92, 100)).toBe('read-only');
    expect(usageLevel(97, 100)).toBe('full');
    expect(THRESHOLDS).toEqual({ warning: 0.75, critical: 0.85, readOnly: 0.92, full: 0.97 });
  });

  it('refuses placements from critical and new data from read-only (retriable) and full', () => {
    expect(() => assertPlaceable('warning')).not.toThrow();
    expect(() => assertPlaceable('critical')).toThrow(expect.objectContaining({ code: ErrorCodes.POOL_CRITICAL, retriable: true }));
    expect(() => admitNewData('critical')).not.toThrow();
    const readOnly = (() => {
      try {
        admitNewData('read-only');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(readOnly).toBeInstanceOf(TesseraError);
    expect(readOnly).toMatchObject({ code: ErrorCodes.POOL_READ_ONLY, retriable: true });
    expect(() => admitNewData('full')).toThrow(expect.objectContaining({ code: ErrorCodes.POOL_FULL }));
  });

  it('keeps the last 3 % of a device for deletes, compaction and repair', () => {
    expect(deviceLimitFor('new', 1000)).toBe(970);
    expect(deviceLimitFor('repair', 1000)).toBe(1000);
    expect(deviceLimitFor('tombstone', 1000)).toBe(1000);
    expect(deviceLimitFor('compaction', 1000)).toBe(1000);
  });
});
