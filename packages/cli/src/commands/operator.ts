/**
 * Operator verbs on the nodes' Admin service (issue #9):
 *
 *  - `cluster status`: members and roles, leader, term, commit/applied (the
 *    leader's view of each member), device states, pool fill and threshold
 *    level, failure tolerance, the metadata group's minDecryptEpoch and
 *    gcGrace, the redundancy line (the metadata leader's last placement
 *    scrub pass: asked of the leader with MaintenanceStatus when a follower
 *    answered the overview), and — when key-manager endpoints are
 *    configured — the key manager's epochs (GetKeyHealth);
 *  - `cluster members|add|remove|transfer-leader` (cluster-members.ts);
 *  - `device list`, `device set-state` (the metadata group validates the
 *    transition; an `evacuating` device is drained by maintenance),
 *    `device add` (sent only to the node it names: that node checks the
 *    folder against its device roots, attaches and registers it);
 *  - `pool list` (fill, threshold level, nodes, devices, profile, failure
 *    tolerance per pool, from the cluster overview), `pool thresholds` (the
 *    fixed fill levels of DESIGN section 6);
 *  - `tenant usage` (a cluster admin, or the tenant's own admin),
 *    `tenant set-quota` (cluster admin).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { THRESHOLDS } from '@tessera/node';
import {
  u64Number,
  type AddDeviceResponse__Output,
  type PoolStatus__Output,
  type ClusterOverviewResponse__Output,
  type MaintenanceStatusResponse__Output,
  type DeviceStatus__Output,
  type ListDevicesResponse__Output,
  type SetDeviceStateResponse__Output,
  type TenantUsageResponse__Output,
} from '@tessera/wire';
import { activeConfig, pickList } from '../config-file.js';
import type { CliIo } from '../io.js';
import { byteSize, collect } from '../options.js';
import { formatTable, parseOutputFormat, printResult, printRows, type OutputFormat } from '../output.js';
import { memberRows, registerClusterMemberCommands, type MemberRow } from './cluster-members.js';
import { passDocument, redundancyLine, type PassDocument } from './maintenance.js';
import { ownTenant, withClient } from './connection.js';
import { NODE_ADMIN_HELP, withNodeAdmin, withNodeAdminConnection, withNodeAdminOn, type NodeAdminOptions } from './node-admin.js';
import { WorkProgress } from './progress.js';
import { stderrIsTty, waitForEvacuation } from './work-wait.js';

interface Context {
  readonly io: CliIo;
}

const DEVICE_STATES = ['healthy', 'degraded', 'evacuating', 'failed', 'removed'] as const;

function outputOf(cmd: Command): OutputFormat {
  return parseOutputFormat(cmd.optsWithGlobals()['output']);
}

function examples(lines: readonly string[]): string {
  return `${NODE_ADMIN_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** A byte count such as 1073741824, 500M, 10G or 2T (binary units); 0 means unlimited. */
export function parseBytes(value: string): number {
  if (!/^\s*[0-9]+\s*([KMGTP]i?)?B?\s*$/i.test(value)) throw new InvalidArgumentError('must be a byte count such as 1073741824, 500M, 10G or 2T');
  const bytes = byteSize(value);
  if (bytes === undefined) throw new InvalidArgumentError('is too large');
  return bytes;
}

/** A device capacity: like parseBytes, but at least one byte. */
export function parseCapacity(value: string): number {
  const bytes = parseBytes(value);
  if (bytes < 1) throw new InvalidArgumentError('must be at least 1 byte');
  return bytes;
}

function parseDeviceState(value: string): string {
  if (!(DEVICE_STATES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${DEVICE_STATES.join(', ')}`);
  return value;
}

function percent(used: number, capacity: number): string {
  return capacity === 0 ? '-' : `${((100 * used) / capacity).toFixed(1)} %`;
}

function deviceRow(d: DeviceStatus__Output): Record<string, unknown> {
  const capacity = u64Number(d.capacityBytes);
  const used = d.usedKnown ? u64Number(d.usedBytes) : undefined;
  return {
    node: d.nodeId,
    device: d.deviceId,
    pool: d.pool,
    state: d.state,
    capacityBytes: capacity,
    usedBytes: used ?? null,
    fill: used === undefined ? null : percent(used, capacity),
    chunks: u64Number(d.chunks),
  };
}
const DEVICE_COLUMNS = ['node', 'device', 'pool', 'state', 'capacityBytes', 'usedBytes', 'fill', 'chunks'];

function usageRow(u: TenantUsageResponse__Output): Record<string, unknown> {
  const quota = u64Number(u.quotaBytes);
  const logical = u64Number(u.logicalBytes);
  return { tenant: u.tenant, logicalBytes: logical, objects: u64Number(u.objects), quotaBytes: quota === 0 ? 'unlimited' : quota, quotaUsed: quota === 0 ? null : percent(logical, quota) };
}

/** One pool as a plain row (`pool list` and `cluster status` share it). */
export function poolRow(p: PoolStatus__Output): Record<string, unknown> {
  return {
    pool: p.pool,
    usedBytes: u64Number(p.usedBytes),
    capacityBytes: u64Number(p.capacityBytes),
    fill: percent(u64Number(p.usedBytes), u64Number(p.capacityBytes)),
    level: p.level,
    nodes: p.nodes,
    devices: p.devices,
    profile: `${p.k}+${p.m}`,
    fullRedundancy: p.fullRedundancy,
    nodeFailures: p.nodeFailures,
    deviceFailures: p.deviceFailures,
    tolerance: p.tolerance,
  };
}
const POOL_COLUMNS = ['pool', 'usedBytes', 'capacityBytes', 'fill', 'level', 'nodes', 'devices', 'profile', 'tolerance'];

/** The fixed fill levels (DESIGN section 6): from which fill each applies and what it stops. */
export function thresholdRows(): Array<Record<string, unknown>> {
  const pct = (ratio: number): string => `${Math.round(ratio * 100)} %`;
  return [
    { level: 'ok', fillFrom: '0 %', ratio: 0, effect: 'none' },
    { level: 'warning', fillFrom: pct(THRESHOLDS.warning), ratio: THRESHOLDS.warning, effect: 'alert only' },
    { level: 'critical', fillFrom: pct(THRESHOLDS.critical), ratio: THRESHOLDS.critical, effect: 'no new placements' },
    { level: 'read-only', fillFrom: pct(THRESHOLDS.readOnly), ratio: THRESHOLDS.readOnly, effect: 'new data refused (retriable)' },
    { level: 'full', fillFrom: pct(THRESHOLDS.full), ratio: THRESHOLDS.full, effect: 'new data refused; the last 3 % of each device is kept for deletes, compaction, GC and repair' },
  ];
}

/** The cluster overview as plain rows (the JSON document and the tables share them). */
export function overviewDocument(o: ClusterOverviewResponse__Output): Record<string, unknown> & { members: readonly MemberRow[]; devices: Record<string, unknown>[]; pools: Record<string, unknown>[]; redundancy: RedundancyDocument } {
  const raft = o.raft;
  const members = raft === null ? [] : memberRows(raft);
  const pools = o.pools.map(poolRow);
  return {
    clusterId: raft?.clusterId ?? '',
    answeredBy: raft?.nodeId ?? '',
    leader: raft?.leaderId ?? '',
    term: raft === null ? 0 : u64Number(raft.term),
    commitIndex: raft === null ? 0 : u64Number(raft.commitIndex),
    appliedIndex: raft === null ? 0 : u64Number(raft.appliedIndex),
    nodes: o.nodes,
    minDecryptEpoch: u64Number(o.minDecryptEpoch),
    gcGraceMs: u64Number(o.gcGraceMs),
    redundancy: redundancyDocument(o.redundancy, o.lastScrub === null ? null : passDocument(o.lastScrub), u64Number(o.underProtected)),
    members,
    devices: o.devices.map(deviceRow),
    pools,
  };
}

export interface RedundancyDocument {
  /** "full", "degraded", "repairing" or "unknown". */
  readonly state: string;
  readonly underProtected: number;
  readonly lastScrub: PassDocument | null;
}

function redundancyDocument(state: string, lastScrub: PassDocument | null, underProtected: number): RedundancyDocument {
  return { state: state === '' ? 'unknown' : state, underProtected, lastScrub };
}

/** A follower answered the overview: the metadata leader's MaintenanceStatus knows the redundancy (unknown when it cannot be asked). */
async function leaderRedundancy(opts: NodeAdminOptions): Promise<RedundancyDocument | undefined> {
  try {
    const s = await withNodeAdmin(opts, (admin) => admin.call<MaintenanceStatusResponse__Output>((c, o, cb) => c.MaintenanceStatus({}, o, cb)));
    const last = s.placementScrub?.last ? passDocument(s.placementScrub.last) : null;
    return redundancyDocument(s.redundancy, last, last?.underProtected ?? 0);
  } catch (err) {
    if (toTesseraError(err).code === ErrorCodes.CLI_USAGE) throw err;
    return undefined;
  }
}

interface StatusOptions extends NodeAdminOptions {
  readonly keymanager?: readonly string[];
}

/** The key manager's epochs, when key-manager endpoints are configured; a failure is reported, not fatal. */
async function keyEpochs(opts: StatusOptions): Promise<Record<string, unknown> | undefined> {
  const endpoints = pickList(opts.keymanager, 'TESSERA_ENDPOINT', activeConfig().endpoints);
  if (endpoints.length === 0) return undefined;
  const conn = { endpoint: endpoints, ...(opts.cert !== undefined ? { cert: opts.cert } : {}), ...(opts.key !== undefined ? { key: opts.key } : {}), ...(opts.ca !== undefined ? { ca: opts.ca } : {}), ...(opts.crl !== undefined ? { crl: opts.crl } : {}) };
  try {
    return await withClient(conn, async (client) => {
      const h = await client.call('GetKeyHealth', {}, { idempotent: true });
      return { systemEpoch: u64Number(h.systemEpoch), minDecryptEpoch: u64Number(h.minDecryptEpoch), provider: h.provider, providerOk: h.providerOk, leader: h.leaderId };
    });
  } catch (err) {
    const e = toTesseraError(err);
    if (e.code === ErrorCodes.CLI_USAGE) throw e;
    return { unavailable: `${e.code}: ${e.message}` };
  }
}

function registerCluster(program: Command, ctx: Context): void {
  const cluster = program
    .command('cluster')
    .description('the storage cluster: status, members and membership changes, devices, pools, failure tolerance')
    .addHelpText(
      'after',
      examples(['tessera cluster status', 'tessera -o json cluster members', 'tessera cluster add --id n4 --incarnation 6f1c… --address 10.0.0.14:7001', 'tessera cluster transfer-leader --id n2', 'tessera cluster remove --id n3']),
    );
  withNodeAdminConnection(
    cluster
      .command('status')
      .description('members and roles, leader, term, commit/applied, device states, pool fill and thresholds, failure tolerance, key epochs')
      .option('--keymanager <host:port>', 'a key manager keys port for the key epochs (repeatable; else TESSERA_ENDPOINT or the config file endpoints)', collect),
  )
    .addHelpText('after', examples(['tessera cluster status', 'tessera -o json cluster status --endpoint 127.0.0.1:7101']))
    .action(async (opts: StatusOptions, cmd: Command) => {
      const overview = await withNodeAdmin(opts, (admin) => admin.call<ClusterOverviewResponse__Output>((c, o, cb) => c.ClusterOverview({}, o, cb)));
      let doc = overviewDocument(overview);
      if (!overview.scrubKnown) doc = { ...doc, redundancy: (await leaderRedundancy(opts)) ?? doc.redundancy };
      const keys = await keyEpochs(opts);
      const format = outputOf(cmd);
      if (format === 'json') {
        ctx.io.stdout.write(JSON.stringify({ ...doc, ...(keys !== undefined ? { keys } : {}) }, null, 2) + '\n');
        return;
      }
      const { members, devices, pools, redundancy, ...summary } = doc;
      ctx.io.stdout.write(formatTable('cluster', { ...summary, redundancy: redundancyLine(redundancy.state, redundancy.lastScrub) }));
      printRows(ctx.io, format, 'members (commit/applied as the leader sees them)', 'members', members, ['id', 'role', 'leader', 'match', 'reachable', 'address']);
      printRows(ctx.io, format, 'devices', 'devices', devices, DEVICE_COLUMNS);
      printRows(ctx.io, format, 'pools', 'pools', pools, ['pool', 'fill', 'level', 'nodes', 'devices', 'profile', 'tolerance']);
      if (keys !== undefined) ctx.io.stdout.write(formatTable('key epochs (key manager)', keys));
    });
  registerClusterMemberCommands(cluster, ctx);
}

function registerDevice(program: Command, ctx: Context): void {
  const device = program
    .command('device')
    .description('devices of the node/device table')
    .addHelpText('after', examples(['tessera device list', 'tessera device add --node n1 --id d4 --path /srv/tessera/d4 --capacity 100GiB', 'tessera device set-state --node n2 --device d1 --state evacuating']));
  withNodeAdminConnection(device.command('list').description('every device: node, pool, state, capacity, used bytes (measured on its own node)'))
    .addHelpText('after', examples(['tessera -o json device list']))
    .action(async (opts: NodeAdminOptions, cmd: Command) => {
      const res = await withNodeAdmin(opts, (admin) => admin.call<ListDevicesResponse__Output>((c, o, cb) => c.ListDevices({}, o, cb)));
      printRows(ctx.io, outputOf(cmd), 'devices', 'devices', res.devices.map(deviceRow), DEVICE_COLUMNS);
    });
  withNodeAdminConnection(
    device
      .command('set-state')
      .description(`change a device's state (${DEVICE_STATES.join(' → ')}; the cluster checks the transition)`)
      .requiredOption('--node <id>', 'node that owns the device')
      .requiredOption('--device <id>', 'device id')
      .requiredOption('--state <state>', DEVICE_STATES.join(', '), parseDeviceState)
      .option('--wait', 'evacuating or failed: follow until no live chunk places a shard on the device (a progress bar on a terminal)')
      .option('--timeout <seconds>', 'with --wait: give up waiting after this long (the work goes on)', (v: string) => {
        const n = Number(v);
        if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('--timeout must be a whole number of seconds ≥ 1');
        return n;
      }, 3_600),
  )
    .addHelpText('after', examples(['tessera device set-state --node n2 --device d1 --state evacuating', 'tessera device set-state --node n2 --device d1 --state evacuating --wait']))
    .action(async (opts: NodeAdminOptions & { node: string; device: string; state: string; wait?: boolean; timeout: number }, cmd: Command) => {
      if (opts.wait === true && opts.state !== 'evacuating' && opts.state !== 'failed') throw new TesseraError(ErrorCodes.CLI_USAGE, '--wait follows an evacuation: only with --state evacuating or failed');
      const res = await withNodeAdmin(opts, async (admin) => {
        const changed = await admin.call<SetDeviceStateResponse__Output>((c, o, cb) => c.SetDeviceState({ nodeId: opts.node, deviceId: opts.device, state: opts.state }, o, cb));
        if (opts.wait === true) {
          const progress = new WorkProgress(ctx.io.stderr, stderrIsTty(ctx.io));
          try {
            await waitForEvacuation(admin, opts.node, opts.device, progress, Date.now() + opts.timeout * 1000);
          } finally {
            progress.finish();
          }
        }
        return changed;
      });
      if (res.device === null) throw new TesseraError(ErrorCodes.INTERNAL, 'no device in the response');
      printResult(ctx.io, outputOf(cmd), 'device state changed', deviceRow(res.device));
    });
  withNodeAdminConnection(
    device
      .command('add')
      .description("attach a new device folder to a node and register it; the folder must lie under one of the node's device roots (config deviceRoots, --device-root)")
      .requiredOption('--node <id>', "the node that gets the device (only that node's client port is asked)")
      .requiredOption('--id <id>', 'device id, unique within the node ([a-z0-9._-])')
      .requiredOption('--path <dir>', 'absolute folder on that node, under one of its device roots; created when missing, else empty or this device already')
      .requiredOption('--capacity <bytes>', 'configured capacity such as 100GiB, 500G or 2T (at most 1 PiB)', parseCapacity)
      .option('--pool <pool>', 'pool of the device', 'default'),
  )
    .addHelpText(
      'after',
      examples([
        'tessera device add --node n1 --id d4 --path /srv/tessera/d4 --capacity 100GiB',
        'tessera -o json device add --node n2 --id d3 --path /srv/tessera/d3 --capacity 2T --pool default --endpoint n2=10.0.0.12:7101',
      ]),
    )
    .action(async (opts: NodeAdminOptions & { node: string; id: string; path: string; capacity: number; pool: string }, cmd: Command) => {
      const request = { nodeId: opts.node, deviceId: opts.id, path: opts.path, capacityBytes: String(opts.capacity), pool: opts.pool };
      // Attaching is not idempotent across nodes: only the named node may answer (its certificate is checked).
      const res = await withNodeAdminOn(opts, opts.node, (admin) => admin.call<AddDeviceResponse__Output>((c, o, cb) => c.AddDevice(request, o, cb), { timeoutMs: 30_000 }));
      if (res.device === null) throw new TesseraError(ErrorCodes.INTERNAL, 'no device in the response');
      printResult(ctx.io, outputOf(cmd), 'device added', { ...deviceRow(res.device), path: res.path, formatted: res.formatted });
    });
}

function registerPool(program: Command, ctx: Context): void {
  const pool = program
    .command('pool')
    .description('storage pools: fill, threshold level, failure tolerance; the fixed fill thresholds')
    .addHelpText('after', examples(['tessera pool list', 'tessera -o json pool list', 'tessera pool thresholds']));
  withNodeAdminConnection(pool.command('list').description('one row per pool: used, capacity, fill, threshold level, nodes, devices, profile k+m, failure tolerance'))
    .addHelpText('after', examples(['tessera pool list', 'tessera -o json pool list --endpoint 127.0.0.1:7101']))
    .action(async (opts: NodeAdminOptions, cmd: Command) => {
      const overview = await withNodeAdmin(opts, (admin) => admin.call<ClusterOverviewResponse__Output>((c, o, cb) => c.ClusterOverview({}, o, cb)));
      printRows(ctx.io, outputOf(cmd), 'pools (fill: measured on the answering node, committed shard bytes elsewhere)', 'pools', overview.pools.map(poolRow), POOL_COLUMNS);
    });
  pool
    .command('thresholds')
    .description('the fixed pool fill levels (DESIGN section 6) and what each stops; no connection needed')
    .addHelpText('after', '\nExamples:\n  $ tessera pool thresholds\n  $ tessera -o json pool thresholds\n')
    .action((_opts: unknown, cmd: Command) => {
      printRows(ctx.io, outputOf(cmd), 'pool fill thresholds', 'thresholds', thresholdRows(), ['level', 'fillFrom', 'effect']);
    });
}

/** `tenant usage` and `tenant set-quota`, added to the `tenant` command (tenant.ts holds the key-manager verbs). */
export function registerTenantUsageCommands(tenant: Command, ctx: Context): void {
  withNodeAdminConnection(tenant.command('usage').description('logical bytes, objects and quota of a tenant (cluster admin, or its own tenant admin)').option('--tenant <tenant>', 'tenant id'))
    .addHelpText('after', examples(['tessera tenant usage --tenant acme']))
    .action(async (opts: NodeAdminOptions & { tenant?: string }, cmd: Command) => {
      const id = opts.tenant ?? (await ownTenant(opts));
      if (id === undefined) throw new TesseraError(ErrorCodes.CLI_USAGE, '--tenant is required (it defaults to the tenant of a tenant admin certificate)');
      const res = await withNodeAdmin(opts, (admin) => admin.call<TenantUsageResponse__Output>((c, o, cb) => c.TenantUsage({ tenant: id }, o, cb)));
      printResult(ctx.io, outputOf(cmd), 'tenant usage', usageRow(res));
    });
  withNodeAdminConnection(
    tenant
      .command('set-quota')
      .description("set a tenant's quota in logical bytes; 0 lifts it (cluster admin)")
      .requiredOption('--tenant <tenant>', 'tenant id')
      .requiredOption('--bytes <n>', 'quota: a byte count such as 500G or 2T; 0 means unlimited', parseBytes),
  )
    .addHelpText('after', examples(['tessera tenant set-quota --tenant acme --bytes 2T']))
    .action(async (opts: NodeAdminOptions & { tenant: string; bytes: number }, cmd: Command) => {
      const res = await withNodeAdmin(opts, (admin) => admin.call<TenantUsageResponse__Output>((c, o, cb) => c.SetTenantQuota({ tenant: opts.tenant, quotaBytes: String(opts.bytes) }, o, cb)));
      printResult(ctx.io, outputOf(cmd), 'tenant quota set', usageRow(res));
    });
}

export function registerOperatorCommands(program: Command, ctx: Context): void {
  registerCluster(program, ctx);
  registerDevice(program, ctx);
  registerPool(program, ctx);
}
