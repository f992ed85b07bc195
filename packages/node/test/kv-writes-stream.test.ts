/**
 * The server end of Kv.Writes (ADR 0023) against a scripted call: replies
 * name their seq, refusals are failure replies (the stream lives on), one
 * request at a time, the stream ends after the answer in flight, and
 * nothing is written to a call that went away.
 */
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { NotLeaderError } from '@tessera/raft';
import type { KvWriteReply, KvWriteRequest__Output } from '@tessera/wire';
import { writesHandler, type AnswerWrite, type WritesCall } from '../src/kv/writes-stream.js';

class ScriptedCall extends EventEmitter {
  readonly written: KvWriteReply[] = [];
  ended = false;
  write(message: KvWriteReply): boolean {
    if (this.ended) throw new Error('write after end');
    this.written.push(message);
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

const put = (seq: string): KvWriteRequest__Output => ({
  op: 'put',
  put: { session: { clientId: '7', seq, ackedThrough: String(Number(seq) - 1) }, key: Buffer.from('k'), value: Buffer.from('v') },
});

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function open(answer: AnswerWrite): ScriptedCall {
  const call = new ScriptedCall();
  writesHandler(answer)(call as unknown as WritesCall);
  return call;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Kv.Writes server end', () => {
  it('answers each write with its seq, and a refusal with a failure reply naming the leader, on the same stream', async () => {
    let n = 0;
    const call = open(async () => {
      n++;
      if (n === 2) throw new NotLeaderError('n2');
      return { put: { index: String(10 + n), duplicate: false } };
    });
    for (const seq of ['1', '2', '3']) {
      call.emit('data', put(seq));
      await settle();
    }
    expect(call.written).toEqual([
      { seq: '1', put: { index: '11', duplicate: false } },
      { seq: '2', failure: { status: grpc.status.UNAVAILABLE, code: ErrorCodes.RAFT_NOT_LEADER, message: expect.any(String) as string, leader: 'n2' } },
      { seq: '3', put: { index: '13', duplicate: false } },
    ]);
    expect(call.ended).toBe(false);
  });

  it('hides an internal error behind a generic message', async () => {
    const call = open(async () => {
      throw new Error('secret detail /var/lib/x');
    });
    call.emit('data', put('1'));
    await settle();
    expect(call.written).toEqual([{ seq: '1', failure: { status: grpc.status.INTERNAL, code: ErrorCodes.INTERNAL, message: 'internal error', leader: '' } }]);
  });

  it('refuses a second write before the first is answered, and ends only after that answer', async () => {
    const first = deferred<Omit<KvWriteReply, 'seq'>>();
    const call = open(() => first.promise);
    call.emit('data', put('1'));
    call.emit('data', put('2'));
    call.emit('end');
    await settle();
    expect(call.written).toEqual([{ seq: '2', failure: expect.objectContaining({ status: grpc.status.INVALID_ARGUMENT, code: ErrorCodes.INVALID_ARGUMENT }) as unknown }]);
    expect(call.ended).toBe(false);
    first.resolve({ put: { index: '5', duplicate: false } });
    await settle();
    expect(call.written[1]).toEqual({ seq: '1', put: { index: '5', duplicate: false } });
    expect(call.ended).toBe(true);
  });

  it('refuses a request that is neither a put nor a delete through the service', async () => {
    const { kvService } = await import('../src/kv/service.js');
    const service = kvService({ machine: {} as never, readIndex: async () => 0, propose: async () => ({ kind: 'error', code: ErrorCodes.INTERNAL }) as never });
    const call = new ScriptedCall();
    (service['Writes'] as (c: WritesCall) => void)(call as unknown as WritesCall);
    call.emit('data', {} as KvWriteRequest__Output);
    await settle();
    expect(call.written).toEqual([{ seq: '0', failure: expect.objectContaining({ status: grpc.status.INVALID_ARGUMENT }) as unknown }]);
  });

  it('writes nothing after the client went away', async () => {
    const answer = deferred<Omit<KvWriteReply, 'seq'>>();
    const call = open(() => answer.promise);
    call.emit('data', put('1'));
    call.emit('cancelled');
    answer.reject(new TesseraError(ErrorCodes.RAFT_STOPPED, 'stopped'));
    await settle();
    expect(call.written).toEqual([]);
  });
});
