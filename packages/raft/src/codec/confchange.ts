/**
 * Canonical encoding of a `ConfChange` inside a conf-change entry's `data`.
 * Decoding arbitrary bytes only ever throws a `TesseraError`.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { ConfChangeType, type ConfChange } from '../types.js';

const VERSION = 1;
const MAX_ID = 256;
const MAX_ADDRESS = 1024;
const MAX_CONTEXT = 64 * 1024;

const TYPE_CODES: Record<ConfChangeType, number> = {
  addLearner: 1,
  promote: 2,
  addVoter: 3,
  removeNode: 4,
};
const CODE_TYPES = new Map<number, ConfChangeType>(
  Object.entries(TYPE_CODES).map(([k, v]) => [v, k as ConfChangeType]),
);

const HAS_INCARNATION = 1;
const HAS_ADDRESS = 2;
const HAS_CONTEXT = 4;

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const w = new BinaryWriter(64);
  w.u8(VERSION).u8(TYPE_CODES[cc.type]).string(cc.nodeId, 2, MAX_ID);
  const flags =
    (cc.incarnationId !== undefined ? HAS_INCARNATION : 0) |
    (cc.address !== undefined ? HAS_ADDRESS : 0) |
    (cc.context !== undefined ? HAS_CONTEXT : 0);
  w.u8(flags);
  if (cc.incarnationId !== undefined) w.string(cc.incarnationId, 2, MAX_ID);
  if (cc.address !== undefined) w.string(cc.address, 2, MAX_ADDRESS);
  if (cc.context !== undefined) w.bytes(cc.context, 4, MAX_CONTEXT);
  return w.finish();
}

export function decodeConfChange(bytes: Uint8Array): ConfChange {
  const r = new BinaryReader(bytes);
  const version = r.u8();
  if (version !== VERSION) {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown conf change version');
  }
  const type = CODE_TYPES.get(r.u8());
  if (type === undefined) {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown conf change type');
  }
  const nodeId = r.string(2, MAX_ID);
  const flags = r.u8();
  if ((flags & ~(HAS_INCARNATION | HAS_ADDRESS | HAS_CONTEXT)) !== 0) {
    throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown conf change flags');
  }
  const incarnationId = flags & HAS_INCARNATION ? r.string(2, MAX_ID) : undefined;
  const address = flags & HAS_ADDRESS ? r.string(2, MAX_ADDRESS) : undefined;
  const context = flags & HAS_CONTEXT ? new Uint8Array(r.bytes(4, MAX_CONTEXT)) : undefined;
  r.end();
  return {
    type,
    nodeId,
    ...(incarnationId !== undefined ? { incarnationId } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}
