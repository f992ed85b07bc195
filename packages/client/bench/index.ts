/**
 * SDK benchmarks over real mTLS on loopback, against the in-memory fake
 * client port (so the figures are the SDK's and gRPC's cost, not a
 * cluster's): chunked put and get of 16 MiB, inline puts, stat; and, as the
 * ceiling, one raw PutChunk stream of a 4 MiB chunk written without the SDK
 * to the same server.
 */
import { randomBytes } from 'node:crypto';
import { benchAsync, type BenchResult } from '@tessera/common/bench';
import { ClientTls, createClient, rpcFailure } from '@tessera/transport';
import { FRAME_BYTES, tesseraV1 } from '@tessera/wire';
import { TesseraClient } from '../src/index.js';
import { FakeDataServer, createTenantTestPki } from '../src/testing/index.js';

const MiB = 1024 * 1024;

export async function runBenchmarks(): Promise<BenchResult[]> {
  const pki = await createTenantTestPki();
  const server = await FakeDataServer.start({ trustDomain: pki.trustDomain, tls: await pki.node('n1'), tenantCas: await pki.registry() });
  const client = await TesseraClient.connect({ tls: pki.client, endpoints: [server.address] });
  const tls = await ClientTls.create({ trustDomain: pki.trustDomain, tls: pki.client, expect: { kinds: ['node'] } });
  const raw = createClient(tesseraV1().Data, server.address, tls, { 'grpc.use_local_subchannel_pool': 1 });
  const results: BenchResult[] = [];
  try {
    const big = randomBytes(16 * MiB);
    const chunk = big.subarray(0, 4 * MiB);
    const small = randomBytes(1024);
    await client.put(big, 'bench/big');
    const { clientId } = await new Promise<{ clientId: string }>((resolve, reject) => raw.OpenSession({}, (err, res) => (err !== null || res === undefined ? reject(err) : resolve(res))));
    let seq = 0;
    const rawPutChunk = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        seq++;
        const call = raw.PutChunk((err) => (err !== null ? reject(rpcFailure(err)) : resolve()));
        call.write({ header: { session: { clientId, seq: String(seq), ackedThrough: String(seq - 1) }, size: String(chunk.length) } });
        for (let at = 0; at < chunk.length; at += FRAME_BYTES) call.write({ data: chunk.subarray(at, at + FRAME_BYTES) });
        call.end();
      });
    const options = { runs: 5, minRunMs: 400 };
    results.push(await benchAsync('ceiling: raw PutChunk stream, 4 MiB (no SDK)', chunk.length, rawPutChunk, { ...options, note: 'one stream, same server' }));
    results.push(await benchAsync('sdk put 16 MiB (4 MiB chunks, 4 in flight)', big.length, () => client.put(big, 'bench/big'), options));
    results.push(await benchAsync('sdk get 16 MiB', big.length, () => client.getBuffer('bench/big'), options));
    results.push(await benchAsync('sdk put 1 KiB (inline)', small.length, () => client.put(small, 'bench/small'), options));
    results.push(await benchAsync('sdk stat', 0, () => client.stat('bench/small'), options));
  } finally {
    raw.close();
    tls.close();
    client.close();
    await server.close();
    await pki.cleanup();
  }
  return results;
}
