/**
 * Building messages: every field defaulted, so handlers state only what matters.
 */
import { MessageType, NONE, type Message } from '../types.js';

export function msg(fields: Partial<Message> & Pick<Message, 'type' | 'to'>): Message {
  return {
    from: NONE,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    ...fields,
  };
}

export function voteRespType(t: MessageType): MessageType {
  return t === MessageType.PreVote ? MessageType.PreVoteResp : MessageType.VoteResp;
}
