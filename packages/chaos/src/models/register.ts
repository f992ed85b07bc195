/**
 * A read/write/compare-and-set register, initially absent (`null`, Jepsen's
 * nil). Operations may name a key: the model then treats each key as an
 * independent register and the checker splits the history per key.
 */
import type { Model } from '../model.js';
import { partitionBy } from '../model.js';

export type RegisterValue = number | string;

export type RegisterInput =
  | { readonly f: 'read'; readonly key?: string }
  | { readonly f: 'write'; readonly key?: string; readonly value: RegisterValue }
  | { readonly f: 'cas'; readonly key?: string; readonly from: RegisterValue; readonly to: RegisterValue };

/**
 * `read` returns the value (null when absent); `write` returns nothing useful
 * (null); `cas` returns whether the swap happened.
 */
export type RegisterOutput =
  | { readonly f: 'read'; readonly value: RegisterValue | null }
  | { readonly f: 'write' }
  | { readonly f: 'cas'; readonly ok: boolean };

export type RegisterState = RegisterValue | null;

const NO_STATES: readonly RegisterState[] = [];

function describeValue(v: RegisterValue | null): string {
  return v === null ? 'nil' : JSON.stringify(v);
}

function keyPrefix(key: string | undefined): string {
  return key === undefined ? '' : `[${JSON.stringify(key)}] `;
}

export const registerModel: Model<RegisterState, RegisterInput, RegisterOutput> = {
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        if (output === undefined) return [state];
        return output.f === 'read' && output.value === state ? [state] : NO_STATES;
      case 'write':
        return [input.value];
      case 'cas': {
        const matches = input.from === state;
        // Unknown outcome: if it took effect here it behaved as a cas does;
        // "never took effect" is covered by placing it last.
        if (output === undefined) return [matches ? input.to : state];
        if (output.f !== 'cas' || output.ok !== matches) return NO_STATES;
        return [matches ? input.to : state];
      }
    }
  },
  hash: (state) => (state === null ? 'n' : typeof state === 'number' ? `i${state}` : `s${state}`),
  partition: (history) => partitionBy(history, (input) => input.key ?? ''),
  isReadOnly: (input) => input.f === 'read',
  describeOperation(input, output) {
    const k = keyPrefix(input.key);
    switch (input.f) {
      case 'read':
        return `${k}read -> ${output === undefined ? '?' : output.f === 'read' ? describeValue(output.value) : 'invalid'}`;
      case 'write':
        return `${k}write ${describeValue(input.value)}${output === undefined ? ' (unknown outcome)' : ''}`;
      case 'cas':
        return `${k}cas ${describeValue(input.from)} -> ${describeValue(input.to)}: ${
          output === undefined ? 'unknown outcome' : output.f === 'cas' ? (output.ok ? 'ok' : 'fail') : 'invalid'
        }`;
    }
  },
  describeState: describeValue,
};
