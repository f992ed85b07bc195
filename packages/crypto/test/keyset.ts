/** Key sets for envelope tests. */
import { ChunkKeys, KeyMaterial } from '../src/index.js';

export interface TestKeys {
  readonly master: KeyMaterial;
  readonly dedupKey: KeyMaterial;
  readonly tdk: KeyMaterial;
  readonly tik: KeyMaterial;
  readonly shared: ChunkKeys;
  readonly isolated: ChunkKeys;
}

export function makeKeys(sysEpoch = 5, tenant = 'acme', tenEpoch = 2): TestKeys {
  const master = KeyMaterial.generate();
  const dedupKey = KeyMaterial.generate();
  const tdk = KeyMaterial.generate();
  const tik = KeyMaterial.generate();
  return {
    master,
    dedupKey,
    tdk,
    tik,
    shared: ChunkKeys.shared({ sysEpoch, master, dedupKey }),
    isolated: ChunkKeys.isolated({ sysEpoch, master, tenant, tenEpoch, tdk, tik }),
  };
}
