/**
 * A node's devices as one store: routes shard operations to devices by id,
 * watches their health, and keeps going when one of them is lost.
 *
 * A device whose folder refuses to open as ours (foreign format, another
 * node's device) stops the store from opening: an operator must decide
 * (`force`). A device that fails with an I/O error is kept as `failed`, so
 * the node starts and repairs its shards elsewhere.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ShardLocation } from './format/index-entries.js';
import type { ShardKey } from './format/shard-key.js';
import type { StorageMutation } from './mutate.js';
import type { CompactionOptions, CompactionReport } from './device/compaction.js';
import { Device, type DeviceInfo, type DeviceOpenReport, type ShardListing, type ShardWrite, type StoredShard } from './device/device.js';
import type { ScrubOptions, ScrubRunReport } from './device/scrub.js';
import type { DeviceState } from './device/state.js';
import type { BadRecordReport, DeviceStateChange, DeviceTestHooks } from './device/types.js';

export interface DeviceConfig {
  readonly deviceId: string;
  readonly path: string;
  readonly capacityBytes: number;
  readonly deviceClass?: string;
  readonly directIo?: boolean;
  /** From the committed device table (default healthy). */
  readonly state?: DeviceState;
  /** Re-initialise this folder if it would be refused (audit the open report). */
  readonly force?: boolean;
}

export interface ShardStoreOptions {
  readonly nodeId: string;
  readonly devices: readonly DeviceConfig[];
  readonly maxExtentBytes?: number;
  readonly crashSim?: boolean;
  readonly mutations?: ReadonlySet<StorageMutation>;
  readonly indexSyncEvery?: number;
  /** Health probe period; 0 disables the timer (tests call checkHealth). Default 1000 ms. */
  readonly healthCheckIntervalMs?: number;
  readonly onBadRecord?: (report: BadRecordReport) => void;
  readonly onStateChange?: (change: DeviceStateChange) => void;
  readonly now?: () => number;
  readonly testHooks?: DeviceTestHooks;
}

/** A configured device that could not be opened (I/O error): failed from the start. */
export interface UnavailableDevice {
  readonly deviceId: string;
  readonly reason: string;
}

export class ShardStore {
  private readonly devices = new Map<string, Device>();
  private readonly unavailable = new Map<string, UnavailableDevice>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly options: ShardStoreOptions) {}

  static async open(options: ShardStoreOptions): Promise<ShardStore> {
    const store = new ShardStore(options);
    try {
      for (const config of options.devices) await store.attach(config);
    } catch (err) {
      await store.close();
      throw err;
    }
    const every = options.healthCheckIntervalMs ?? 1000;
    if (every > 0) {
      store.timer = setInterval(() => void store.checkHealth(), every);
      store.timer.unref();
    }
    return store;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Opens one more device (refusals propagate; I/O failures register it as failed). */
  async attach(config: DeviceConfig): Promise<DeviceOpenReport | undefined> {
    if (this.devices.has(config.deviceId) || this.unavailable.has(config.deviceId)) {
      throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `device ${config.deviceId} is already attached`);
    }
    const o = this.options;
    try {
      const device = await Device.open({
        nodeId: o.nodeId,
        deviceId: config.deviceId,
        path: config.path,
        capacityBytes: config.capacityBytes,
        ...(config.deviceClass === undefined ? {} : { deviceClass: config.deviceClass }),
        ...(config.directIo === undefined ? {} : { directIo: config.directIo }),
        ...(config.state === undefined ? {} : { state: config.state }),
        ...(config.force === undefined ? {} : { force: config.force }),
        ...(o.maxExtentBytes === undefined ? {} : { maxExtentBytes: o.maxExtentBytes }),
        ...(o.crashSim === undefined ? {} : { crashSim: o.crashSim }),
        ...(o.mutations === undefined ? {} : { mutations: o.mutations }),
        ...(o.indexSyncEvery === undefined ? {} : { indexSyncEvery: o.indexSyncEvery }),
        ...(o.onBadRecord === undefined ? {} : { onBadRecord: o.onBadRecord }),
        ...(o.onStateChange === undefined ? {} : { onStateChange: o.onStateChange }),
        ...(o.now === undefined ? {} : { now: o.now }),
        ...(o.testHooks === undefined ? {} : { testHooks: o.testHooks }),
      });
      this.devices.set(config.deviceId, device);
      return device.report;
    } catch (err) {
      if (err instanceof TesseraError && err.code !== ErrorCodes.STORAGE_IO) throw err;
      const reason = err instanceof TesseraError ? err.message : 'device could not be opened';
      this.unavailable.set(config.deviceId, { deviceId: config.deviceId, reason });
      o.onStateChange?.({ deviceId: config.deviceId, from: config.state ?? 'healthy', to: 'failed', reason, at: (o.now ?? Date.now)() });
      return undefined;
    }
  }

  /** Only a `removed` device may be detached; its folder is left as it is. */
  async detach(deviceId: string): Promise<void> {
    if (this.unavailable.has(deviceId)) {
      throw new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, `device ${deviceId} must be removed before it is detached`);
    }
    const device = this.device(deviceId);
    if (!device.capabilities.detachable) {
      throw new TesseraError(ErrorCodes.DEVICE_BAD_TRANSITION, `device ${deviceId} must be removed before it is detached`);
    }
    await device.close();
    this.devices.delete(deviceId);
  }

  device(deviceId: string): Device {
    const device = this.devices.get(deviceId);
    if (device !== undefined) return device;
    if (this.unavailable.has(deviceId)) throw new TesseraError(ErrorCodes.DEVICE_UNAVAILABLE, `device ${deviceId} is failed`);
    throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, `no device ${deviceId} on this node`);
  }

  deviceIds(): string[] {
    return [...this.devices.keys(), ...this.unavailable.keys()];
  }

  info(): Array<DeviceInfo | (UnavailableDevice & { readonly state: 'failed' })> {
    return [...[...this.devices.values()].map((d) => d.info()), ...[...this.unavailable.values()].map((u) => ({ ...u, state: 'failed' as const }))];
  }

  async putShard(deviceId: string, write: ShardWrite): Promise<ShardLocation> {
    return this.device(deviceId).put(write);
  }

  async readShard(deviceId: string, key: ShardKey): Promise<StoredShard> {
    return this.device(deviceId).read(key);
  }

  async hasShard(deviceId: string, key: ShardKey): Promise<boolean> {
    return this.device(deviceId).has(key);
  }

  async deleteShard(deviceId: string, key: ShardKey, options?: { gatewayTime?: number }): Promise<boolean> {
    return this.device(deviceId).delete(key, options);
  }

  async listShards(deviceId: string, options?: { after?: ShardKey; limit?: number }): Promise<ShardListing[]> {
    return this.device(deviceId).list(options);
  }

  /** Which readable local devices hold this shard. */
  async findShard(key: ShardKey): Promise<string[]> {
    const out: string[] = [];
    for (const device of this.devices.values()) {
      if (device.capabilities.readable && (await device.has(key))) out.push(device.id);
    }
    return out;
  }

  async compact(deviceId: string, options?: CompactionOptions): Promise<CompactionReport> {
    return this.device(deviceId).compact(options);
  }

  async scrub(deviceId: string, options?: ScrubOptions): Promise<ScrubRunReport> {
    return this.device(deviceId).scrub(options);
  }

  setDeviceState(deviceId: string, to: DeviceState, reason: string): void {
    this.device(deviceId).setState(to, reason);
  }

  /** Probes every device (the timer does this periodically); returns the states. */
  async checkHealth(): Promise<Record<string, DeviceState>> {
    const out: Record<string, DeviceState> = {};
    for (const device of this.devices.values()) out[device.id] = await device.checkHealth();
    for (const id of this.unavailable.keys()) out[id] = 'failed';
    return out;
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await Promise.all([...this.devices.values()].map((d) => d.close()));
  }

  /** Power loss for every device of this store (crash simulation) or kill -9 (otherwise). */
  async crash(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await Promise.all([...this.devices.values()].map((d) => d.crash()));
  }
}
