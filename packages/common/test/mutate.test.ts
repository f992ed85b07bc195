import { describe, expect, it } from 'vitest';
import { ErrorCodes, KNOWN_MUTATIONS, TesseraError, parseMutationList } from '../src/index.js';

describe('TESSERA_MUTATE registry', () => {
  it('gives each package only the names it owns', () => {
    const all = 'commit-old-term,ack-before-fsync, read-without-readindex';
    expect([...parseMutationList(all, 'raft')]).toEqual(['commit-old-term']);
    expect([...parseMutationList(all, 'storage')]).toEqual(['ack-before-fsync']);
    expect([...parseMutationList(all, 'node')]).toEqual(['read-without-readindex']);
    expect(parseMutationList(undefined, 'raft').size).toBe(0);
    expect(parseMutationList(' , ', 'storage').size).toBe(0);
  });

  it('refuses a name no package owns, so a typo never plants nothing silently', () => {
    try {
      parseMutationList('ack-before-fsynk', 'storage');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TesseraError);
      expect((err as TesseraError).code).toBe(ErrorCodes.INVALID_ARGUMENT);
    }
  });

  it('has no name owned twice', () => {
    const names = Object.values(KNOWN_MUTATIONS).flat();
    expect(new Set(names).size).toBe(names.length);
  });
});
