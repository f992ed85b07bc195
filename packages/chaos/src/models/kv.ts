/**
 * A key-value map from string keys to string values; every key initially
 * holds "" (the conformance vectors' convention). `put` sets, `append`
 * concatenates, `get` returns the value, and `delete` sets the key back to
 * absent, which reads as "" — an absent key and an empty value are the same
 * state. Keys are independent, so the checker splits histories per key.
 */
import type { Model } from '../model.js';
import { partitionBy } from '../model.js';

export type KvInput =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'delete'; readonly key: string };

/** `get` returns the value; the other operations return nothing (null). */
export type KvOutput = { readonly value: string } | null;

/** Only non-empty values are stored: "" and absent are one state. */
export type KvState = ReadonlyMap<string, string>;

const NO_STATES: readonly KvState[] = [];

function withValue(state: KvState, key: string, value: string): KvState {
  const copy = new Map(state);
  if (value === '') copy.delete(key);
  else copy.set(key, value);
  return copy;
}

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => new Map<string, string>(),
  step(state, input, output) {
    const current = state.get(input.key) ?? '';
    switch (input.f) {
      case 'get':
        if (output === undefined) return [state];
        return output !== null && output.value === current ? [state] : NO_STATES;
      case 'put':
        return [withValue(state, input.key, input.value)];
      case 'append':
        return [withValue(state, input.key, current + input.value)];
      case 'delete':
        return [withValue(state, input.key, '')];
    }
  },
  hash(state) {
    if (state.size === 0) return '';
    return JSON.stringify([...state.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  },
  partition: (history) => partitionBy(history, (input) => input.key),
  isReadOnly: (input) => input.f === 'get',
  describeOperation(input, output) {
    const k = JSON.stringify(input.key);
    switch (input.f) {
      case 'get':
        return `get ${k} -> ${output === undefined ? '?' : output === null ? 'invalid' : JSON.stringify(output.value)}`;
      case 'put':
      case 'append':
        return `${input.f} ${k} ${JSON.stringify(input.value)}${output === undefined ? ' (unknown outcome)' : ''}`;
      case 'delete':
        return `delete ${k}${output === undefined ? ' (unknown outcome)' : ''}`;
    }
  },
  describeState(state) {
    if (state.size === 0) return '{} (every key "")';
    return `{${[...state.entries()].map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  },
};
