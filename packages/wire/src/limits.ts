/**
 * Size limits shared by every Tessera server and client.
 *
 * Bodies (shards, snapshots, object data) are streamed in frames of at most
 * FRAME_BYTES, a quarter of the message limit, so a frame plus its envelope is
 * always far below what a peer accepts.
 */

/** Largest data payload in one streamed frame. */
export const FRAME_BYTES = 1024 * 1024;

/** Largest message any Tessera server or channel sends or accepts. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Largest encoded RaftBatch a sender assembles (one 1 MiB entry always fits). */
export const MAX_RAFT_BATCH_BYTES = 2 * 1024 * 1024;
