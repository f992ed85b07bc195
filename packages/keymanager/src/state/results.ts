/** What applying a command yields: the caller's result, side effects for the host, audit entries, watch events. */
import type { AppendedEntry } from '@tessera/audit';
import type { ErrorCode } from '@tessera/common';
import type { KeyRef } from '../key-ref.js';
import type { TenantView } from './types.js';

export type KmValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'system'; readonly epoch: number }
  | { readonly kind: 'tenant'; readonly tenant: TenantView }
  | { readonly kind: 'node'; readonly nodeId: string }
  | { readonly kind: 'min-decrypt-epoch'; readonly epoch: number; readonly systemEpoch: number }
  | { readonly kind: 'audit'; readonly appended: number };

export type KmResult =
  | { readonly ok: true; readonly value: KmValue; /** The command had already been applied (a retry). */ readonly duplicate?: boolean }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Side effects the host performs through the root provider; each is idempotent (replayed after a crash). */
export type KmEffect = { readonly kind: 'destroy-tenant-keks'; readonly tenant: string; readonly refs: readonly KeyRef[] };

/** Published on the watch stream (nodes drop keys; the metadata group follows tenants). */
export type KmEvent =
  | { readonly kind: 'tenant-changed'; readonly tenant: TenantView }
  | { readonly kind: 'shred-scheduled'; readonly tenant: string; readonly executeAtMs: number }
  | { readonly kind: 'shred-cancelled'; readonly tenant: string }
  | { readonly kind: 'tenant-shredded'; readonly tenant: string }
  | { readonly kind: 'kek-rotated'; readonly tenant: string; readonly kekVersion: number }
  | { readonly kind: 'tenant-epoch'; readonly tenant: string; readonly epoch: number }
  | { readonly kind: 'system-epoch'; readonly epoch: number }
  | { readonly kind: 'node-pin'; readonly nodeId: string; readonly removed: boolean };

export interface ApplyOutput {
  readonly result: KmResult;
  readonly effects: readonly KmEffect[];
  readonly audit: readonly AppendedEntry[];
  readonly events: readonly KmEvent[];
}
