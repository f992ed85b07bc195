/**
 * Operator methods of `tessera.v1.Admin` (issue #9): the device table and
 * device state changes, tenant usage and quota, and the cluster overview
 * behind `tessera cluster status`. Who may call them is the authorization
 * table's business (cluster admins; TenantUsage also the tenant's own
 * admins); reads follow a ReadIndex, changes are metadata commands whose
 * validation (device transitions, unknown tenants) is the state machine's.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, type ErrorCode } from '@tessera/common';
import { StateRole, type ConfState, type NodeId, type ProgressStatus, type RaftNode } from '@tessera/raft';
import { unary } from '@tessera/transport';
import {
  u64Number,
  u64String,
  type ClusterOverviewRequest__Output,
  type ClusterOverviewResponse,
  type DeviceStatus,
  type ListDevicesRequest__Output,
  type ListDevicesResponse,
  type MemberStatus,
  type SetDeviceStateRequest__Output,
  type SetDeviceStateResponse,
  type SetTenantQuotaRequest__Output,
  type TenantUsageRequest__Output,
  type TenantUsageResponse,
} from '@tessera/wire';
import type { MetadataCommand } from '../metadata/commands.js';
import type { MetadataMachine, MetadataResult } from '../metadata/machine.js';
import { DEVICE_STATES, type DeviceState } from '../metadata/types.js';
import { passToWire, redundancyOf, type MaintenanceControl } from './maintenance-wire.js';
import { deviceRows, poolRows, type DeviceRow } from './overview.js';

export interface OperatorView {
  readonly localNodeId: string;
  readonly machine: Pick<MetadataMachine, 'devices' | 'nodes' | 'chunksOnDevice' | 'tenant' | 'tenantUsage' | 'minDecryptEpoch' | 'gcGraceMs' | 'digest'>;
  readBarrier(): Promise<void>;
  propose(command: MetadataCommand): Promise<MetadataResult>;
  /** Measured bytes of one of this node's devices (undefined when unknown or not local). */
  localUsedBytes(deviceId: string): number | undefined;
  /** The profile new chunks get (config `erasure`). */
  readonly profile: { readonly k: number; readonly m: number };
  /** Raft state of the metadata group for the overview. */
  readonly raft: Pick<RaftNode<unknown>, 'status'>;
  clusterId(): string;
  /** The leader's view of every member (empty on followers). */
  progress(): ReadonlyMap<NodeId, ProgressStatus>;
  clock(): number;
  /** The node's Maintenance once started: the leader's placement scrub gives the overview its redundancy line. */
  maintenance?(): Pick<MaintenanceControl, 'placementScrub' | 'queue'> | undefined;
}

const REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCodes.UNKNOWN_DEVICE]: 'unknown device',
  [ErrorCodes.DEVICE_BAD_TRANSITION]: 'the device cannot make this state change',
  [ErrorCodes.NOT_FOUND]: 'unknown tenant',
};

function refused(result: MetadataResult): void {
  if (result.kind === 'error') throw new TesseraError(result.code, REFUSALS[result.code] ?? 'request refused', { retriable: result.retriable });
}

function deviceStateOf(wire: string): DeviceState {
  const state = DEVICE_STATES.find((s) => s === wire);
  if (state === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `state must be one of ${DEVICE_STATES.join(', ')}`);
  return state;
}

function quotaOf(wire: string): number {
  try {
    return u64Number(wire);
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'quota_bytes is out of range');
  }
}

/** One row of the device table on the wire (also AddDevice's answer). */
export function deviceStatusOf(row: DeviceRow): DeviceStatus {
  return toWire(row);
}

function toWire(row: DeviceRow): DeviceStatus {
  const d = row.device;
  return {
    nodeId: d.nodeId,
    deviceId: d.deviceId,
    pool: d.pool,
    state: d.state,
    capacityBytes: u64String(d.capacityBytes),
    usedBytes: u64String(row.measuredBytes ?? 0),
    usedKnown: row.measuredBytes !== undefined,
    chunks: u64String(row.chunks),
  };
}

/** Voters then learners, with the leader's progress when this node leads (as the membership handlers report them). */
function members(conf: ConfState, progress: ReadonlyMap<NodeId, ProgressStatus>): MemberStatus[] {
  const describe = (id: NodeId, role: 'MEMBER_ROLE_VOTER' | 'MEMBER_ROLE_LEARNER'): MemberStatus => {
    const p = progress.get(id);
    const identity = conf.members?.find((m) => m.id === id) ?? { id, incarnationId: '', address: '' };
    return { identity, role, matchIndex: u64String(p?.match ?? 0), reachable: p?.recentActive ?? false };
  };
  return [...conf.voters.map((id) => describe(id, 'MEMBER_ROLE_VOTER')), ...conf.learners.map((id) => describe(id, 'MEMBER_ROLE_LEARNER'))];
}

/** The redundancy line: known only on the metadata leader, whose placement scrub judged every slot. */
function redundancy(view: OperatorView, leader: boolean): Pick<ClusterOverviewResponse, 'underProtected' | 'lastScrub' | 'redundancy' | 'scrubKnown'> {
  const m = leader ? view.maintenance?.() : undefined;
  if (m === undefined) return { underProtected: '0', redundancy: 'unknown', scrubKnown: false };
  const last = m.placementScrub.lastPass();
  return {
    underProtected: u64String(last?.underProtected ?? 0),
    ...(last !== undefined ? { lastScrub: passToWire(last) } : {}),
    redundancy: redundancyOf(last, { queued: m.queue.length, running: m.queue.active }),
    scrubKnown: true,
  };
}

export interface OperatorHandlers {
  readonly ListDevices: grpc.handleUnaryCall<ListDevicesRequest__Output, ListDevicesResponse>;
  readonly SetDeviceState: grpc.handleUnaryCall<SetDeviceStateRequest__Output, SetDeviceStateResponse>;
  readonly TenantUsage: grpc.handleUnaryCall<TenantUsageRequest__Output, TenantUsageResponse>;
  readonly SetTenantQuota: grpc.handleUnaryCall<SetTenantQuotaRequest__Output, TenantUsageResponse>;
  readonly ClusterOverview: grpc.handleUnaryCall<ClusterOverviewRequest__Output, ClusterOverviewResponse>;
}

export function operatorHandlers(view: OperatorView): OperatorHandlers {
  const { machine } = view;
  const measured = (nodeId: string, deviceId: string): number | undefined => (nodeId === view.localNodeId ? view.localUsedBytes(deviceId) : undefined);
  const rows = (): DeviceRow[] => deviceRows(machine, measured);
  const usage = (tenant: string): TenantUsageResponse => {
    const record = machine.tenant(tenant);
    if (record === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    const u = machine.tenantUsage(tenant);
    return { tenant, logicalBytes: u64String(u.logicalBytes), objects: u64String(u.objects), quotaBytes: u64String(record.quotaBytes) };
  };

  return {
    ListDevices: unary<ListDevicesRequest__Output, ListDevicesResponse>(async () => {
      await view.readBarrier();
      return { devices: rows().map(toWire) };
    }),
    SetDeviceState: unary<SetDeviceStateRequest__Output, SetDeviceStateResponse>(async (req) => {
      const state = deviceStateOf(req.state);
      if (req.nodeId === '' || req.deviceId === '') throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'node_id and device_id are required');
      refused(await view.propose({ op: 'setDeviceState', timeMs: view.clock(), nodeId: req.nodeId, deviceId: req.deviceId, state }));
      await view.readBarrier();
      const row = rows().find((r) => r.device.nodeId === req.nodeId && r.device.deviceId === req.deviceId);
      if (row === undefined) throw new TesseraError(ErrorCodes.UNKNOWN_DEVICE, 'unknown device');
      return { device: toWire(row) };
    }),
    TenantUsage: unary<TenantUsageRequest__Output, TenantUsageResponse>(async (req) => {
      await view.readBarrier();
      return usage(req.tenant);
    }),
    SetTenantQuota: unary<SetTenantQuotaRequest__Output, TenantUsageResponse>(async (req) => {
      const quotaBytes = quotaOf(req.quotaBytes);
      if (req.tenant === '') throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'tenant is required');
      refused(await view.propose({ op: 'setTenantQuota', timeMs: view.clock(), tenant: req.tenant, quotaBytes }));
      await view.readBarrier();
      return usage(req.tenant);
    }),
    ClusterOverview: unary<ClusterOverviewRequest__Output, ClusterOverviewResponse>(async () => {
      await view.readBarrier();
      const s = view.raft.status();
      const progress = view.progress();
      const devices = rows();
      // Followers see no progress: every registered node counts as live there.
      const isLive = (nodeId: string): boolean => progress.size === 0 || nodeId === view.localNodeId || progress.get(nodeId)?.recentActive === true;
      return {
        raft: {
          clusterId: view.clusterId(),
          leaderId: s.lead,
          term: u64String(s.term),
          commitIndex: u64String(s.commit),
          members: members(s.confState, progress),
          nodeId: s.id,
          appliedIndex: u64String(s.applied),
          stateDigest: machine.digest(),
        },
        devices: devices.map(toWire),
        pools: poolRows(machine, devices, view.profile, isLive).map((p) => ({ ...p, usedBytes: u64String(p.usedBytes), capacityBytes: u64String(p.capacityBytes) })),
        minDecryptEpoch: u64String(machine.minDecryptEpoch()),
        gcGraceMs: u64String(machine.gcGraceMs()),
        nodes: machine.nodes().length,
        ...redundancy(view, s.role === StateRole.Leader),
      };
    }),
  };
}
