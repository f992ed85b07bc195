/**
 * `Keys.Watch`: the stream over which nodes learn of invalidations (shred,
 * KEK rotation) and the metadata group follows the tenant table (DESIGN
 * sections 2 and 5). Served by every key-manager member from its own
 * applied state, so a node may watch any member: each applies the same
 * entries and publishes the same events.
 *
 * A stream starts with the whole tenant table and the current system epoch,
 * then `synced`, then every event as it is applied. Nothing is replayed
 * from a revision: a subscriber that reconnects gets the table again and
 * compares (a shredded tenant is in it as shredded; a KEK version that moved
 * means a rotation it missed).
 *
 * Only allow-listed nodes with the pinned key may watch (the table names
 * tenants). A subscriber that cannot keep up (more than `maxBuffered`
 * events waiting) is cut off rather than buffered without bound; it
 * reconnects and resyncs. A change of the subscriber's own pin ends its
 * stream too.
 */
import type * as grpc from '@grpc/grpc-js';
import { SYSTEM_CHAIN, type AuditBatcher } from '@tessera/audit';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { constantTimeEqual } from '@tessera/crypto';
import { u64String, type KeyEvent, type WatchRequest__Output } from '@tessera/wire';
import { kmError } from '../errors.js';
import { KeyMethods } from '../service/key-service.js';
import { KmAuditTypes } from '../state/core.js';
import type { KeyManagerStateMachine } from '../state/machine.js';
import { tenantViews } from '../state/tenant-table.js';
import { nodeCaller, type PrincipalOf } from './callers.js';
import { eventToWire, tenantToWire } from './convert.js';
import { keysStatus, type LeaderAddress } from './rpc.js';

export interface WatchDeps {
  readonly machine: KeyManagerStateMachine;
  readonly principalOf: PrincipalOf;
  readonly audit: AuditBatcher;
  readonly leaderAddress: LeaderAddress;
  readonly clock?: () => number;
  /** Events allowed to wait in a stream's buffer before it is cut off. Default 10 000. */
  readonly maxBuffered?: number;
}

type WatchCall = grpc.ServerWritableStream<WatchRequest__Output, KeyEvent>;

export function watchHandler(deps: WatchDeps): (call: WatchCall) => void {
  const clock = deps.clock ?? Date.now;
  const maxBuffered = deps.maxBuffered ?? 10_000;
  return (call) => {
    let caller: ReturnType<typeof nodeCaller>;
    try {
      caller = nodeCaller(deps.principalOf(call), call);
      const pin = deps.machine.state.nodes.get(caller.nodeId);
      if (pin === undefined || !constantTimeEqual(pin, caller.spkiSha256)) {
        deps.audit.deny({
          chain: SYSTEM_CHAIN,
          type: KmAuditTypes.KEY_FETCH,
          principal: caller.principal,
          method: KeyMethods.WATCH,
          reason: pin === undefined ? 'node-not-allowed' : 'pin-mismatch',
          atMs: clock(),
          targets: [{ kind: 'node', nodeId: caller.nodeId }],
        });
        throw kmError(ErrorCodes.KM_NODE_NOT_ALLOWED, 'this node is not allowed to fetch keys');
      }
    } catch (err) {
      call.emit('error', keysStatus(err, deps.leaderAddress));
      return;
    }
    const nodeId = caller.nodeId;
    let ended = false;
    const end = (err?: TesseraError): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      if (err !== undefined) call.emit('error', keysStatus(err, deps.leaderAddress));
      else call.end();
    };
    const send = (event: KeyEvent): void => {
      if (ended) return;
      call.write(event);
      if (call.writableLength > maxBuffered) end(new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'watch subscriber too slow; reconnect', { retriable: true }));
    };
    // Subscribe before sending the table: both happen in this turn, so no event falls in between.
    const unsubscribe = deps.machine.subscribe((event) => {
      send(eventToWire(event, deps.machine.appliedIndex()));
      if (event.kind === 'node-pin' && event.nodeId === nodeId) end(new TesseraError(ErrorCodes.KM_NODE_NOT_ALLOWED, "this node's allow-list entry changed"));
    });
    call.on('cancelled', () => end());
    call.on('close', () => end());
    call.on('error', () => end());
    const revision = u64String(deps.machine.appliedIndex());
    for (const tenant of tenantViews(deps.machine.state)) send({ revision, tenant: tenantToWire(tenant) });
    const system = deps.machine.state.system;
    if (system !== undefined) send({ revision, systemEpoch: u64String(system.currentEpoch) });
    send({ revision, synced: true });
  };
}
