/**
 * How the service layer talks to the key-manager Raft group: propose a
 * command and get its applied result, or read state that reflects every
 * write acknowledged before the read began (ReadIndex). Transport-agnostic;
 * `raftKmGroup` binds it to an in-process `RaftNode`.
 */
import type { RaftNode } from '@tessera/raft';
import { encodeEnvelope, type KmEnvelope } from '../state/commands.js';
import type { KeyManagerStateMachine } from '../state/machine.js';
import type { KmResult } from '../state/results.js';
import type { KmState } from '../state/types.js';

export interface KmGroup {
  propose(envelope: KmEnvelope): Promise<KmResult>;
  read(): Promise<KmState>;
}

export function raftKmGroup(node: RaftNode<KmResult>, machine: KeyManagerStateMachine): KmGroup {
  return {
    propose: (envelope) => node.propose(encodeEnvelope(envelope)),
    read: async () => {
      await node.readIndex();
      return machine.state;
    },
  };
}
