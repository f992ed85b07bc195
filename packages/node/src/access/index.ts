/**
 * Access grants (DESIGN A2, section 7; issue #9), wired for a storage node:
 * the Admin handlers, the Data path's gate for cluster admins, the client
 * port's TenantResourceIndex over committed requests and grants, and the
 * leader's expiry duty. Commands, state rules and persistence live beside
 * (commands.ts, table.ts, codec.ts, persist.ts) and are carried by the
 * metadata state machine.
 */
import { performance } from 'node:perf_hooks';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@tessera/common';
import type { CallWithAuthContext, Principal, TenantResourceIndex } from '@tessera/transport';
import type { MetadataMachine } from '../metadata/machine.js';
import type { MetadataProposer } from '../data/proposer.js';
import type { NodeKeys } from '../data/node-keys.js';
import { accessAdminHandlers } from './admin-handlers.js';
import { AccessExpiryDuty } from './expiry.js';
import { GrantGate } from './gate.js';
import { accessResourceIndex } from './resources.js';

export { GrantGate, TENANT_HEADER, permissionDenied, type GrantedAccess } from './gate.js';
export type { GrantedCall } from './decide.js';
export { MAX_CLOCK_SKEW_MS, MAX_ENTRY_AGE_MS, leaderFreshness } from './freshness.js';
export { ACCESS_LIMITS, type AccessMode, type AccessRecord, type AuditEntry, type GrantedMethod } from './types.js';

export interface AccessGrantsDeps {
  readonly machine: MetadataMachine;
  readonly proposer: MetadataProposer;
  readonly readBarrier: () => Promise<void>;
  /** The node's keys (undefined without a key manager: requests cannot be sealed, admins never served). */
  readonly keys: () => NodeKeys | undefined;
  readonly trustDomain: string;
  readonly principalOf: (call: CallWithAuthContext) => Principal;
  readonly clock: () => number;
  readonly monotonicClock?: () => number;
  readonly logger: Logger;
}

export class AccessGrants {
  readonly gate: GrantGate;
  readonly resources: TenantResourceIndex;
  private readonly expiry: AccessExpiryDuty;

  constructor(private readonly deps: AccessGrantsDeps) {
    this.gate = new GrantGate({
      machine: deps.machine,
      proposer: deps.proposer,
      readBarrier: deps.readBarrier,
      keys: deps.keys,
      clock: deps.clock,
      monotonicClock: deps.monotonicClock ?? (() => performance.now()),
      logger: deps.logger,
    });
    this.resources = accessResourceIndex(deps.machine, deps.readBarrier);
    this.expiry = new AccessExpiryDuty({ machine: deps.machine, proposer: deps.proposer, clock: deps.clock, logger: deps.logger });
  }

  /** RequestAccess, ApproveAccess, DenyAccess, RevokeGrant and ListAccess, to merge into the Admin service. */
  adminHandlers(): grpc.UntypedServiceImplementation {
    const { deps } = this;
    return accessAdminHandlers({
      machine: deps.machine,
      proposer: deps.proposer,
      readBarrier: deps.readBarrier,
      keys: deps.keys,
      clock: deps.clock,
      trustDomain: deps.trustDomain,
      principalOf: deps.principalOf,
    });
  }

  start(): void {
    this.expiry.start();
  }

  stop(): void {
    this.expiry.stop();
  }
}
