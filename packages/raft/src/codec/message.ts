/**
 * Canonical binary encoding of a Raft `Message` (with the entries and the
 * snapshot it may carry), for transports between processes.
 *
 *   version u8 (=1) | type u8 | from str16 | to str16
 *   term u64 | logTerm u64 | index u64 | commit u64 | rejectHint u64
 *   flags u8: 1 reject, 2 transfer, 4 requestSnapshot, 8 context, 16 transferee, 32 snapshot
 *   [context bytes32] [transferee str16]
 *   entries u32, each: term u64 | index u64 | type u8 | data bytes32
 *   [snapshot: index u64 | term u64 | confState | data bytes32]
 *   confState: voters u32 + str16 each | learners u32 + str16 each
 *              | flags u8 (1 members, 2 removed)
 *              | [members u32, each: id str16 | incarnationId str16 | address str16]
 *              | [removed u32 + str16 each]
 *
 * Canonical: exactly one encoding per message, and the decoder accepts
 * nothing else (unknown versions, types or flag bits, invalid UTF-8, numbers
 * above 2^53 and trailing bytes are refused), so `encode(decode(b))` equals
 * `b` for every `b` that decodes. The optional booleans `transfer` and
 * `requestSnapshot` are flags: `false` and absent encode alike (the core only
 * tests them for truth) and decode as absent.
 *
 * Bounded: every string and byte field has a maximum, and every count is
 * checked against the bytes that remain before anything is allocated, so a
 * hostile count or length cannot make the decoder allocate more than its
 * input. Decoding arbitrary bytes only ever throws a `TesseraError`.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { EntryType, MessageType, type ConfState, type Entry, type MemberInfo, type Message, type Snapshot } from '../types.js';

export const MESSAGE_CODEC_VERSION = 1;

/** Limits of one encoded message's fields. */
export const MESSAGE_LIMITS = {
  /** Node ids, incarnation ids. */
  idBytes: 256,
  addressBytes: 1024,
  /** ReadIndex request contexts. */
  contextBytes: 64 * 1024,
  /** One entry's payload. */
  entryBytes: 64 * 1024 * 1024,
  /** A snapshot's state-machine image. */
  snapshotBytes: 1024 * 1024 * 1024,
} as const;

const TYPE_CODES: Record<MessageType, number> = {
  app: 1,
  appResp: 2,
  vote: 3,
  voteResp: 4,
  preVote: 5,
  preVoteResp: 6,
  heartbeat: 7,
  heartbeatResp: 8,
  snap: 9,
  readIndex: 10,
  readIndexResp: 11,
  timeoutNow: 12,
  transferLeader: 13,
};
const CODE_TYPES = new Map<number, MessageType>(Object.entries(TYPE_CODES).map(([type, code]) => [code, type as MessageType]));

const ENTRY_TYPE_CODES: Record<EntryType, number> = { normal: 0, confChange: 1 };

const F_REJECT = 1;
const F_TRANSFER = 2;
const F_REQUEST_SNAPSHOT = 4;
const F_CONTEXT = 8;
const F_TRANSFEREE = 16;
const F_SNAPSHOT = 32;
const MESSAGE_FLAGS = F_REJECT | F_TRANSFER | F_REQUEST_SNAPSHOT | F_CONTEXT | F_TRANSFEREE | F_SNAPSHOT;

const C_MEMBERS = 1;
const C_REMOVED = 2;
const CONF_FLAGS = C_MEMBERS | C_REMOVED;

/** Smallest encodings, for checking counts against the remaining input. */
const MIN_ENTRY_BYTES = 8 + 8 + 1 + 4;
const MIN_ID_BYTES = 2;
const MIN_MEMBER_BYTES = 3 * 2;

// ----- encoding -----

/** Encodes `message`; throws CODEC_* when a field exceeds its limit or a number is not a safe non-negative integer. */
export function encodeMessage(message: Message): Buffer {
  const w = new BinaryWriter(64 + estimatePayload(message));
  w.u8(MESSAGE_CODEC_VERSION).u8(typeCode(message.type));
  w.string(message.from, 2, MESSAGE_LIMITS.idBytes).string(message.to, 2, MESSAGE_LIMITS.idBytes);
  w.u64(message.term).u64(message.logTerm).u64(message.index).u64(message.commit).u64(message.rejectHint);
  const flags =
    (message.reject ? F_REJECT : 0) |
    (message.transfer === true ? F_TRANSFER : 0) |
    (message.requestSnapshot === true ? F_REQUEST_SNAPSHOT : 0) |
    (message.context !== undefined ? F_CONTEXT : 0) |
    (message.transferee !== undefined ? F_TRANSFEREE : 0) |
    (message.snapshot !== undefined ? F_SNAPSHOT : 0);
  w.u8(flags);
  if (message.context !== undefined) w.bytes(message.context, 4, MESSAGE_LIMITS.contextBytes);
  if (message.transferee !== undefined) w.string(message.transferee, 2, MESSAGE_LIMITS.idBytes);
  w.u32(message.entries.length);
  for (const entry of message.entries) writeEntry(w, entry);
  if (message.snapshot !== undefined) writeSnapshot(w, message.snapshot);
  return w.finish();
}

function estimatePayload(message: Message): number {
  let bytes = message.snapshot?.data.byteLength ?? 0;
  for (const e of message.entries) bytes += e.data.byteLength + MIN_ENTRY_BYTES;
  return bytes;
}

function typeCode(type: MessageType): number {
  const code = TYPE_CODES[type];
  if (code === undefined) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown raft message type');
  return code;
}

function writeEntry(w: BinaryWriter, entry: Entry): void {
  const code = ENTRY_TYPE_CODES[entry.type];
  if (code === undefined) throw new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, 'unknown raft entry type');
  w.u64(entry.term).u64(entry.index).u8(code).bytes(entry.data, 4, MESSAGE_LIMITS.entryBytes);
}

function writeSnapshot(w: BinaryWriter, snapshot: Snapshot): void {
  w.u64(snapshot.metadata.index).u64(snapshot.metadata.term);
  writeConfState(w, snapshot.metadata.confState);
  w.bytes(snapshot.data, 4, MESSAGE_LIMITS.snapshotBytes);
}

function writeIds(w: BinaryWriter, ids: readonly string[]): void {
  w.u32(ids.length);
  for (const id of ids) w.string(id, 2, MESSAGE_LIMITS.idBytes);
}

function writeConfState(w: BinaryWriter, conf: ConfState): void {
  writeIds(w, conf.voters);
  writeIds(w, conf.learners);
  w.u8((conf.members !== undefined ? C_MEMBERS : 0) | (conf.removed !== undefined ? C_REMOVED : 0));
  if (conf.members !== undefined) {
    w.u32(conf.members.length);
    for (const m of conf.members) {
      w.string(m.id, 2, MESSAGE_LIMITS.idBytes).string(m.incarnationId, 2, MESSAGE_LIMITS.idBytes).string(m.address, 2, MESSAGE_LIMITS.addressBytes);
    }
  }
  if (conf.removed !== undefined) writeIds(w, conf.removed);
}

// ----- decoding -----

/** Decodes one message; throws a `TesseraError` (CODEC_*) for anything that is not a canonical encoding. */
export function decodeMessage(bytes: Uint8Array): Message {
  const r = new BinaryReader(bytes);
  if (r.u8() !== MESSAGE_CODEC_VERSION) throw outOfRange('unknown raft message codec version');
  const type = CODE_TYPES.get(r.u8());
  if (type === undefined) throw outOfRange('unknown raft message type');
  const from = r.string(2, MESSAGE_LIMITS.idBytes);
  const to = r.string(2, MESSAGE_LIMITS.idBytes);
  const term = r.u64Number();
  const logTerm = r.u64Number();
  const index = r.u64Number();
  const commit = r.u64Number();
  const rejectHint = r.u64Number();
  const flags = r.u8();
  if ((flags & ~MESSAGE_FLAGS) !== 0) throw outOfRange('unknown raft message flags');
  const context = flags & F_CONTEXT ? Uint8Array.from(r.bytes(4, MESSAGE_LIMITS.contextBytes)) : undefined;
  const transferee = flags & F_TRANSFEREE ? r.string(2, MESSAGE_LIMITS.idBytes) : undefined;
  const entryCount = checkedCount(r, MIN_ENTRY_BYTES);
  const entries: Entry[] = [];
  for (let i = 0; i < entryCount; i++) entries.push(readEntry(r));
  const snapshot = flags & F_SNAPSHOT ? readSnapshot(r) : undefined;
  r.end();
  return {
    type,
    from,
    to,
    term,
    logTerm,
    index,
    entries,
    commit,
    reject: (flags & F_REJECT) !== 0,
    rejectHint,
    ...(snapshot !== undefined ? { snapshot } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(flags & F_TRANSFER ? { transfer: true } : {}),
    ...(flags & F_REQUEST_SNAPSHOT ? { requestSnapshot: true } : {}),
    ...(transferee !== undefined ? { transferee } : {}),
  };
}

function readEntry(r: BinaryReader): Entry {
  const term = r.u64Number();
  const index = r.u64Number();
  const code = r.u8();
  const type = code === ENTRY_TYPE_CODES.normal ? EntryType.Normal : code === ENTRY_TYPE_CODES.confChange ? EntryType.ConfChange : undefined;
  if (type === undefined) throw outOfRange('unknown raft entry type');
  const data = Uint8Array.from(r.bytes(4, MESSAGE_LIMITS.entryBytes));
  return { term, index, type, data };
}

function readSnapshot(r: BinaryReader): Snapshot {
  const index = r.u64Number();
  const term = r.u64Number();
  const confState = readConfState(r);
  const data = Uint8Array.from(r.bytes(4, MESSAGE_LIMITS.snapshotBytes));
  return { metadata: { index, term, confState }, data };
}

function readIds(r: BinaryReader): string[] {
  const count = checkedCount(r, MIN_ID_BYTES);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(r.string(2, MESSAGE_LIMITS.idBytes));
  return ids;
}

function readConfState(r: BinaryReader): ConfState {
  const voters = readIds(r);
  const learners = readIds(r);
  const flags = r.u8();
  if ((flags & ~CONF_FLAGS) !== 0) throw outOfRange('unknown configuration flags');
  let members: MemberInfo[] | undefined;
  if (flags & C_MEMBERS) {
    const count = checkedCount(r, MIN_MEMBER_BYTES);
    members = [];
    for (let i = 0; i < count; i++) {
      members.push({
        id: r.string(2, MESSAGE_LIMITS.idBytes),
        incarnationId: r.string(2, MESSAGE_LIMITS.idBytes),
        address: r.string(2, MESSAGE_LIMITS.addressBytes),
      });
    }
  }
  const removed = flags & C_REMOVED ? readIds(r) : undefined;
  return { voters, learners, ...(members !== undefined ? { members } : {}), ...(removed !== undefined ? { removed } : {}) };
}

/** A u32 count whose items (each at least `minBytesEach`) must fit in what remains. */
function checkedCount(r: BinaryReader, minBytesEach: number): number {
  const count = r.u32();
  if (count * minBytesEach > r.remaining) throw new TesseraError(ErrorCodes.CODEC_TRUNCATED, 'input truncated');
  return count;
}

function outOfRange(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CODEC_VALUE_OUT_OF_RANGE, message);
}
