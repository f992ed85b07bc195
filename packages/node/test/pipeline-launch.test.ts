/** Worker launch planning (dist, tsx, vitest) and the per-job key bytes. */
import { ErrorCodes, REDACTED, TesseraError, isSecretBranded, scrub } from '@tessera/common';
import { KEY_BYTES } from '@tessera/crypto';
import { describe, expect, it } from 'vitest';
import { packJobKeys, unpackJobKeys } from '../src/data/pipeline/job-keys.js';
import { planWorkerLaunch } from '../src/data/pipeline/worker-launch.js';
import { generateKeys, isolatedSet, referenceChunkKeys, sharedSet } from './pipeline-fixtures.js';

const resolve = (specifier: string): string => `file:///repo/node_modules/${specifier}/index.mjs`;

describe('planWorkerLaunch', () => {
  it('starts worker.js with inherited execArgv when built', () => {
    const launch = planWorkerLaunch('file:///repo/dist/src/data/pipeline/worker-launch.js', ['--enable-source-maps'], resolve);
    expect(launch.eval).toBe(false);
    expect(launch.script).toEqual(new URL('file:///repo/dist/src/data/pipeline/worker.js'));
    expect(launch.execArgv).toBeUndefined();
  });

  it('from sources, bootstraps worker.ts through tsx and adds the development condition once', () => {
    const moduleUrl = 'file:///repo/src/data/pipeline/worker-launch.ts';
    const bare = planWorkerLaunch(moduleUrl, ['--require', 'x.cjs'], resolve);
    expect(bare.eval).toBe(true);
    expect(bare.script).toContain(JSON.stringify('file:///repo/node_modules/tsx/esm/api/index.mjs'));
    expect(bare.script).toContain(JSON.stringify('file:///repo/src/data/pipeline/worker.ts'));
    expect(bare.execArgv).toEqual(['--require', 'x.cjs', '--conditions=development']);
    // Already present, in each spelling: not added again (vitest passes `--conditions development`).
    for (const execArgv of [['--conditions=development', '--import', 'tsx'], ['--conditions', 'development'], ['-C', 'development']]) {
      expect(planWorkerLaunch(moduleUrl, execArgv, resolve).execArgv).toEqual(execArgv);
    }
  });
});

describe('job keys', () => {
  it.each([
    ['shared', 2],
    ['isolated', 3],
  ] as const)('%s: packs %i keys, the worker side rebuilds the same ChunkKeys and wipes the packed bytes', (policy, count) => {
    const keys = generateKeys();
    const set = policy === 'shared' ? sharedSet(keys) : isolatedSet(keys);
    const packed = packJobKeys(set);
    expect(packed.secret.byteLength).toBe(count * KEY_BYTES);
    expect(packed.secret.buffer.byteLength).toBe(count * KEY_BYTES);
    const unpacked = unpackJobKeys(packed);
    expect(packed.secret.every((byte) => byte === 0)).toBe(true);
    const reference = referenceChunkKeys(set);
    const plaintext = Buffer.from('same keys, same chunk id');
    expect(unpacked.keys.chunkIdOf(plaintext).equals(reference.chunkIdOf(plaintext))).toBe(true);
    expect(unpacked.keys).toMatchObject({ policy: set.policy, sysEpoch: set.sysEpoch });
    unpacked.destroy();
    expect(unpacked.keys.destroyed).toBe(true);
    // The caller's keys are untouched.
    expect(keys.master.destroyed).toBe(false);
    reference.destroy();
  });

  it('refuses a packing of the wrong size and still wipes it', () => {
    const packed = { ...packJobKeys(sharedSet(generateKeys())), policy: 'isolated' as const, tenant: 'acme', tenEpoch: 1 };
    expect(() => unpackJobKeys(packed)).toThrowError(expect.objectContaining({ code: ErrorCodes.CRYPTO_BAD_KEY }) as TesseraError);
    expect(packed.secret.every((byte) => byte === 0)).toBe(true);
  });

  it('does not render key bytes when a key set or its packing is logged', () => {
    const keys = generateKeys();
    const shown = JSON.stringify(sharedSet(keys)) + String(isolatedSet(keys).master);
    expect(shown).not.toContain(keys.master.expose().toString('hex'));
    const packed = packJobKeys(isolatedSet(keys));
    expect(isSecretBranded(packed)).toBe(true);
    expect(scrub('job', packed, 0, new WeakSet())).toBe(REDACTED);
  });
});
