/**
 * Long variant (`npm run test:long`, for people, not CI: DESIGN section 9):
 * objects of 256 MiB and 1 GiB put and read back on a 3-node cluster with a
 * key manager, through @tessera/client streams. The content comes from a
 * seeded keystream (AES-256-CTR over zeros) generated 1 MiB at a time and
 * hashed as it is sent; the read is hashed as it arrives. No object is ever
 * held in memory whole, on either side.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TesseraClient } from '@tessera/client';
import { DataCluster } from '../integration/support/data-cluster.js';
import { FailureFlag } from '../integration/support/failures.js';

const MiB = 1024 * 1024;
const PIECE = MiB;

let cluster: DataCluster;
let client: TesseraClient;
const failures = new FailureFlag();
const { track } = failures;

/** `size` bytes of a keystream fixed by `seed`, in 1 MiB pieces; `hash` sees every byte yielded. */
async function* seededContent(seed: string, size: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const key = createHash('sha256').update(`tessera long test ${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(PIECE);
  for (let sent = 0; sent < size; sent += PIECE) {
    const piece = cipher.update(zeros.subarray(0, Math.min(PIECE, size - sent)));
    hash.update(piece);
    yield piece;
  }
}

async function putAndReadBack(size: number, name: string): Promise<void> {
  const sent = createHash('sha256');
  const info = await client.put(seededContent(name, size, sent), name);
  expect(info).toMatchObject({ name, size, chunks: size / (4 * MiB) });
  const received = createHash('sha256');
  let length = 0;
  for await (const part of await client.get(name)) {
    received.update(part as Buffer);
    length += (part as Buffer).byteLength;
  }
  expect(length).toBe(size);
  expect(received.digest('hex')).toBe(sent.digest('hex'));
}

beforeAll(async () => {
  cluster = await DataCluster.start({ nodes: 3 });
  try {
    const tenant = await cluster.addTenant('acme', 'shared');
    client = await cluster.client(tenant.client);
  } catch (err) {
    failures.failed = true;
    throw err;
  }
}, 180_000);

afterAll(async () => {
  await cluster?.shutdown(failures.failed);
}, 60_000);

describe('large objects on a 3-node cluster, streamed both ways', () => {
  it('puts and gets a 256 MiB object byte for byte (SHA-256)', track(() => putAndReadBack(256 * MiB, 'large/256MiB')), 900_000);
  it('puts and gets a 1 GiB object byte for byte (SHA-256)', track(() => putAndReadBack(1024 * MiB, 'large/1GiB')), 1_800_000);
});
