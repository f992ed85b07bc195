/**
 * The Raft envelope on the wire (`tessera.v1.RaftEnvelope`): the driver's
 * envelope plus the sender and recipient ids and the incarnation the sender
 * believes the recipient has, with the message encoded by @tessera/raft's
 * canonical codec. Group ids travel as canonical decimal strings.
 */
import { encodeMessage, type NodeId, type RaftEnvelope } from '@tessera/raft';
import type { RaftEnvelope as WireEnvelopeInput, RaftEnvelope__Output } from '@tessera/wire';

export type WireEnvelope = RaftEnvelope__Output;

/** Envelope fields besides the message bytes, counted toward batch budgets. */
const ENVELOPE_OVERHEAD_BYTES = 64;

export interface OutgoingEnvelope {
  readonly wire: WireEnvelopeInput;
  /** Encoded size estimate (message bytes, ids and framing), for queue and batch budgets. */
  readonly size: number;
}

export function groupIdString(group: number): string {
  return String(group);
}

/** A group id as sent on the wire: a canonical decimal u32 ("0", "17"; never "017" or "+1"). */
export function parseGroupId(value: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 0xffff_ffff ? n : undefined;
}

/** Wraps a driver envelope for the wire; `encoded` lets a caller reuse bytes it already has. */
export function toWire(envelope: RaftEnvelope, toIncarnationId: string, encoded: Buffer = encodeMessage(envelope.message)): OutgoingEnvelope {
  const m = envelope.message;
  const wire: WireEnvelopeInput = {
    clusterId: envelope.clusterId,
    groupId: groupIdString(envelope.group),
    from: m.from,
    fromIncarnationId: envelope.fromIncarnation,
    to: m.to,
    toIncarnationId,
    message: encoded,
  };
  const size =
    encoded.byteLength + ENVELOPE_OVERHEAD_BYTES + envelope.clusterId.length + m.from.length + m.to.length + envelope.fromIncarnation.length + toIncarnationId.length;
  return { wire, size };
}

/** The incarnation id `to` has in a configuration's member list ('' when unknown). */
export function incarnationOf(members: readonly { readonly id: NodeId; readonly incarnationId: string }[] | undefined, to: NodeId): string {
  return members?.find((m) => m.id === to)?.incarnationId ?? '';
}
