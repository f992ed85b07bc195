/** Opening test devices in temp folders with small, fast settings. */
import { tempDirs, type TempDirs } from '@tessera/common/testing';
import { Device, type DeviceOptions } from '../../src/device/device.js';

export const MiB = 1024 * 1024;

export type TestDeviceOptions = Partial<DeviceOptions> & { readonly path: string };

export function openTestDevice(options: TestDeviceOptions): Promise<Device> {
  return Device.open({
    nodeId: 'node-a',
    deviceId: 'd1',
    capacityBytes: 64 * MiB,
    maxExtentBytes: 256 * 1024,
    mutations: new Set(),
    crashSim: false,
    ...options,
  });
}

export function testDirs(label: string): TempDirs {
  return tempDirs(`tessera-storage-${label}-`);
}
