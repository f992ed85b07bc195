import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import type { JsonlEvent } from '../src/index.js';
import { formatJsonlEvent, parseEdnKvHistory, parseJepsenRegisterLog, parseKvJsonl, parseRegisterJsonl } from '../src/index.js';

const invalid = (fn: () => unknown): void => {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isTesseraError(thrown, ErrorCodes.CHAOS_HISTORY_INVALID)).toBe(true);
};

describe('Jepsen etcd log parser', () => {
  const log = [
    'INFO  jepsen.util - 0\t:invoke\t:write\t3',
    'some other log line',
    'INFO  jepsen.util - 1   :invoke :cas    [3 4]',
    'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 0\t:ok\t:write\t3',
    'INFO  jepsen.util - 1\t:fail\t:cas\t[3 4]',
    'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
    'INFO  jepsen.util - 3\t:invoke\t:write\t5',
    'INFO  jepsen.util - 3\t:info\t:write\t5',
    'INFO  jepsen.util - 4\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 4\t:ok\t:read\t3',
    'INFO  jepsen.util - 5\t:invoke\t:cas\t[1 2]',
  ].join('\n');

  it('pairs operations and maps :fail/:info/open to outcomes', () => {
    const h = parseJepsenRegisterLog(log);
    expect(h).toEqual([
      { clientId: 0, call: 0, ret: 4, input: { f: 'write', value: 3 }, output: { f: 'write' } },
      { clientId: 1, call: 2, ret: 5, input: { f: 'cas', from: 3, to: 4 }, output: { f: 'cas', ok: false } },
      { clientId: 2, call: 3, ret: undefined, input: { f: 'read' }, output: undefined },
      { clientId: 3, call: 7, ret: undefined, input: { f: 'write', value: 5 }, output: undefined },
      { clientId: 4, call: 9, ret: 10, input: { f: 'read' }, output: { f: 'read', value: 3 } },
      { clientId: 5, call: 11, ret: undefined, input: { f: 'cas', from: 1, to: 2 }, output: undefined },
    ]);
  });

  it('drops a failed write, which had no effect', () => {
    const h = parseJepsenRegisterLog('INFO  jepsen.util - 0\t:invoke\t:write\t3\nINFO  jepsen.util - 0\t:fail\t:write\t3');
    expect(h).toEqual([]);
  });

  it('rejects malformed operation lines', () => {
    invalid(() => parseJepsenRegisterLog('INFO  jepsen.util - 0\t:invoke\t:write\tnil'));
    invalid(() => parseJepsenRegisterLog('INFO  jepsen.util - 0\t:invoke\t:cas\t3'));
    invalid(() => parseJepsenRegisterLog('INFO  jepsen.util - 0\t:ok\t:read\t3'));
    invalid(() => parseJepsenRegisterLog('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil'));
    invalid(() => parseJepsenRegisterLog('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t1'));
  });

  it('enforces size bounds', () => {
    invalid(() => parseJepsenRegisterLog('x'.repeat(100), { maxChars: 50 }));
    invalid(() => parseJepsenRegisterLog('x'.repeat(100), { maxLineChars: 50 }));
    invalid(() => parseJepsenRegisterLog(log, { maxOperations: 2 }));
  });
});

describe('EDN key-value parser', () => {
  it('parses get/put/append and unknown outcomes', () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "k", :value "x \\"q\\" y"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "k", :value "x \\"q\\" y"}',
      '{:process 1, :type :ok, :f :get, :key "k", :value ""}',
      '',
      '{:process 2, :type :invoke, :f :put, :key "j", :value "v"}',
      '{:process 2, :type :info, :f :put, :key "j", :value "v"}',
      '{:process 3, :type :invoke, :f :delete, :key "j", :value nil}',
    ].join('\n');
    expect(parseEdnKvHistory(text)).toEqual([
      { clientId: 0, call: 0, ret: 2, input: { f: 'append', key: 'k', value: 'x "q" y' }, output: null },
      { clientId: 1, call: 1, ret: 3, input: { f: 'get', key: 'k' }, output: { value: '' } },
      { clientId: 2, call: 5, ret: undefined, input: { f: 'put', key: 'j', value: 'v' }, output: undefined },
      { clientId: 3, call: 7, ret: undefined, input: { f: 'delete', key: 'j' }, output: undefined },
    ]);
  });

  it('rejects lines that are not operation maps', () => {
    invalid(() => parseEdnKvHistory('{:process 0, :type :invoke}'));
    invalid(() => parseEdnKvHistory('{:process 0, :type :invoke, :f :put, :key "k", :value nil}'));
    invalid(() => parseEdnKvHistory('{:process 0, :type :invoke, :f :put, :key "k\\q", :value "v"}'));
    invalid(() => parseEdnKvHistory('{:process 0, :type :ok, :f :get, :key "k", :value ""}'));
  });
});

describe('JSONL history format', () => {
  it('round-trips register events through formatJsonlEvent', () => {
    const events: JsonlEvent[] = [
      { type: 'invoke', process: 'c1', time: 10, f: 'write', key: 'a', value: 'v1' },
      { type: 'invoke', process: 'c2', time: 11, f: 'read', key: 'a' },
      { type: 'ok', process: 'c1', time: 12 },
      { type: 'ok', process: 'c2', time: 13, value: null },
      { type: 'invoke', process: 'c1', time: 14, f: 'cas', key: 'a', from: 'v1', to: 'v2' },
      { type: 'ok', process: 'c1', time: 15, f: 'cas', ok: true },
      { type: 'invoke', process: 'c3', time: 16, f: 'write', key: 'a', value: 'v3' },
      { type: 'info', process: 'c3', time: 17 },
      { type: 'invoke', process: 'c4', time: 18, f: 'write', key: 'a', value: 'v4' },
      { type: 'fail', process: 'c4', time: 19 },
    ];
    const h = parseRegisterJsonl(events.map(formatJsonlEvent).join('\n'));
    expect(h).toEqual([
      { clientId: 'c1', call: 10, ret: 12, input: { f: 'write', key: 'a', value: 'v1' }, output: { f: 'write' } },
      { clientId: 'c2', call: 11, ret: 13, input: { f: 'read', key: 'a' }, output: { f: 'read', value: null } },
      { clientId: 'c1', call: 14, ret: 15, input: { f: 'cas', key: 'a', from: 'v1', to: 'v2' }, output: { f: 'cas', ok: true } },
      { clientId: 'c3', call: 16, ret: undefined, input: { f: 'write', key: 'a', value: 'v3' }, output: undefined },
    ]);
  });

  it('parses key-value events', () => {
    const text = [
      '{"type":"invoke","process":1,"time":1,"f":"put","key":"k","value":"v"}',
      '{"type":"ok","process":1,"time":2}',
      '{"type":"invoke","process":1,"time":3,"f":"get","key":"k"}',
      '{"type":"ok","process":1,"time":4,"value":"v"}',
    ].join('\n');
    expect(parseKvJsonl(text)).toEqual([
      { clientId: 1, call: 1, ret: 2, input: { f: 'put', key: 'k', value: 'v' }, output: null },
      { clientId: 1, call: 3, ret: 4, input: { f: 'get', key: 'k' }, output: { value: 'v' } },
    ]);
  });

  it('rejects malformed events', () => {
    invalid(() => parseRegisterJsonl('not json'));
    invalid(() => parseRegisterJsonl('[1]'));
    invalid(() => parseRegisterJsonl('{"type":"begin","process":1,"time":1}'));
    invalid(() => parseRegisterJsonl('{"type":"invoke","process":1,"time":"x","f":"read"}'));
    invalid(() => parseRegisterJsonl('{"type":"invoke","process":1,"time":2,"f":"read"}\n{"type":"ok","process":1,"time":1,"value":1}'));
    invalid(() => parseRegisterJsonl('{"type":"invoke","process":1,"time":1,"f":"cas","from":1}'));
    invalid(() => parseRegisterJsonl('{"type":"invoke","process":1,"time":1,"f":"cas","from":1,"to":2}\n{"type":"ok","process":1,"time":2}'));
    invalid(() => parseKvJsonl('{"type":"invoke","process":1,"time":1,"f":"get"}'));
    invalid(() => parseKvJsonl('{"type":"invoke","process":1,"time":1,"f":"get","key":"k"}\n{"type":"ok","process":1,"time":2,"f":"put"}'));
  });
});

describe('parser fuzzing: arbitrary text yields a history or CHAOS_HISTORY_INVALID', () => {
  const parsers = { parseJepsenRegisterLog, parseEdnKvHistory, parseRegisterJsonl, parseKvJsonl };
  // Fragments of valid lines make the fuzzer reach deep into each grammar.
  const fragment = fc.constantFrom(
    'INFO  jepsen.util - ', '0', '1', '\t', ' ', ':invoke', ':ok', ':fail', ':info', ':read', ':write', ':cas', 'nil', '[1 2]', ':timed-out',
    '{:process ', ', :type ', ', :f ', ':get', ':put', ':append', ':delete', ', :key "k"', ', :value ', '"v"', '}', '\\',
    '{"type":"invoke","process":1,"time":', '{"type":"ok","process":1,"time":', ',"f":"read"', ',"f":"get","key":"k"', ',"value":', 'null', '}', '\n',
  );
  const text = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join('')));

  for (const [name, parse] of Object.entries(parsers)) {
    it(name, () => {
      fc.assert(
        fc.property(text, (input) => {
          try {
            expect(Array.isArray(parse(input, { maxOperations: 1000 }))).toBe(true);
          } catch (e) {
            expect(isTesseraError(e, ErrorCodes.CHAOS_HISTORY_INVALID)).toBe(true);
          }
        }),
        { numRuns: 400 },
      );
    });
  }
});
