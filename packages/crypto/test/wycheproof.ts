/** Shapes of the Wycheproof files this package reads (upstream schemas, testvectors_v1). */
export type Verdict = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofFile<G> {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly G[];
}

export interface AeadGroup {
  readonly keySize: number;
  readonly ivSize: number;
  readonly tagSize: number;
  readonly tests: readonly AeadCase[];
}

export interface AeadCase {
  readonly tcId: number;
  readonly comment: string;
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly msg: string;
  readonly ct: string;
  readonly tag: string;
  readonly result: Verdict;
}

export interface KeyWrapGroup {
  readonly keySize: number;
  readonly tests: readonly KeyWrapCase[];
}

export interface KeyWrapCase {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly key: string;
  readonly msg: string;
  readonly ct: string;
  readonly result: Verdict;
}

export interface HkdfGroup {
  readonly tests: readonly HkdfCase[];
}

export interface HkdfCase {
  readonly tcId: number;
  readonly ikm: string;
  readonly salt: string;
  readonly info: string;
  readonly size: number;
  readonly okm: string;
  readonly result: Verdict;
}

export interface MacGroup {
  readonly keySize: number;
  readonly tagSize: number;
  readonly tests: readonly MacCase[];
}

export interface MacCase {
  readonly tcId: number;
  readonly key: string;
  readonly msg: string;
  readonly tag: string;
  readonly result: Verdict;
}

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** Flattens the file's own group/test lists (never a directory listing). */
export function casesOf<G extends { readonly tests: readonly T[] }, T>(file: WycheproofFile<G>): Array<{ group: G; test: T }> {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}
