/**
 * Metadata proposals from any node (DESIGN section 6: any node acts as
 * gateway; metadata operations go to the leader). On the leader a command is
 * proposed locally; elsewhere it is forwarded over the peer port
 * (Fabric/ForwardPropose) to the node this replica believes leads.
 *
 * Retries happen only when the command certainly was not appended: no leader
 * known yet, or the addressee answered NOT_LEADER / REJECTED before
 * appending. Anything else after sending (a lost connection, a timeout, an
 * Unknown outcome from Raft) is surfaced as it is: client operations are
 * safe to retry through their session (the same seq is answered, never
 * applied twice), and the callers retry the idempotent admin commands.
 */
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { NotLeaderError, RejectedError, type RaftNode } from '@tessera/raft';
import { encodeMetadataCommand, type MetadataCommand } from '../metadata/commands.js';
import type { MetadataResult } from '../metadata/machine.js';
import { decodeMetadataResult } from '../metadata/result-codec.js';
import type { FabricClients } from '../fabric/peer-client.js';
import { tagCommand, type NodeResult } from '../process/node-machine.js';

export interface ProposerOptions {
  readonly raft: RaftNode<NodeResult>;
  readonly group: number;
  readonly clients: FabricClients;
  /** Peer address of a member (config override, else committed). */
  readonly addressOf: (nodeId: string) => string | undefined;
  /** How long to keep looking for a leader. Default 15 s. */
  readonly leaderWaitMs?: number;
  /** Deadline of one forwarded proposal. Default 30 s. */
  readonly forwardTimeoutMs?: number;
}

const RETRY_PAUSE_MS = 50;

export class MetadataProposer {
  constructor(private readonly options: ProposerOptions) {}

  /** Proposes on the leader and yields the applied result (refusals come back as `kind: 'error'`). */
  async propose(command: MetadataCommand): Promise<MetadataResult> {
    const tagged = tagCommand('metadata', encodeMetadataCommand(command));
    const deadline = Date.now() + (this.options.leaderWaitMs ?? 15_000);
    for (;;) {
      try {
        return await this.once(tagged);
      } catch (err) {
        if (!notAppended(err) || Date.now() >= deadline) throw toTessera(err);
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** Whether this replica leads the group now. */
  isLeader(): boolean {
    const status = this.options.raft.status();
    return status.lead === status.id;
  }

  private async once(tagged: Buffer): Promise<MetadataResult> {
    const { raft } = this.options;
    const status = raft.status();
    if (status.lead === '') throw new NotLeaderError(undefined);
    if (status.lead === status.id) {
      const result = await raft.propose(tagged);
      if (result.machine !== 'metadata') throw new TesseraError(ErrorCodes.INTERNAL, 'proposal applied by another machine');
      return result.result;
    }
    const address = this.options.addressOf(status.lead);
    if (address === undefined) throw new NotLeaderError(undefined);
    const bytes = await this.options.clients.forwardPropose(address, this.options.group, tagged, this.options.forwardTimeoutMs ?? 30_000);
    return decodeMetadataResult(bytes);
  }
}

/** The command certainly was not appended anywhere: safe to send again. */
function notAppended(err: unknown): boolean {
  if (err instanceof NotLeaderError || err instanceof RejectedError) return true;
  return isTesseraError(err, ErrorCodes.RAFT_NOT_LEADER) || isTesseraError(err, ErrorCodes.RAFT_REJECTED);
}

function toTessera(err: unknown): unknown {
  if (err instanceof NotLeaderError) return new TesseraError(ErrorCodes.RAFT_NOT_LEADER, 'no metadata leader reachable', { retriable: true });
  return err;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
