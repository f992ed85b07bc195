/**
 * `npm run bench -- --only transfer`: the machine's limit for moving bulk
 * bytes between two processes over mTLS on loopback, beside what grpc-js
 * costs for the same bytes. The cluster data path (`data`) carries every
 * chunk through gRPC more than once (client → gateway, gateway → peers), so
 * these rows say how much of its CPU the transport itself takes.
 *
 * The sender is this process; the receiver is transfer-sink.ts in a child
 * process (with the V8 heap setting of a tessera process), discarding the
 * bytes and reporting its CPU. Per row: 512 MiB per run in 1 MiB writes
 * (raw socket) or 1 MiB messages (a grpc-js client stream of opaque bytes:
 * no protobuf, Tessera's HTTP/2 receive windows), 5 runs after a warm-up,
 * the median MB/s; the note gives the CPU each side spent per MiB.
 * Both use TLS 1.3 with client certificates from a throwaway cluster PKI.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type { BenchResult } from '@tessera/common/bench';
import { createTestPki, type TestTlsFiles } from '@tessera/launcher';
import { channelOptions } from '@tessera/transport';

const MiB = 1024 * 1024;
const WRITE = MiB;
const TOTAL = 512 * MiB;
const RUNS = 5;

interface Sample {
  readonly seconds: number;
  readonly senderCpuMs: number;
  readonly receiverCpuMs: number;
}

/** The sender's TLS material, read once. */
interface SenderTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer;
}

function readSenderTls(files: TestTlsFiles): SenderTls {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile), ca: readFileSync(files.caFile) };
}

interface Peer {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  readonly tlsPort: number;
  readonly grpcPort: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function startSink(files: TestTlsFiles): Promise<Peer> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'transfer-sink.ts');
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', script, files.certFile, files.keyFile, files.caFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exit'])])) as [string];
  if (line === 'exit') throw new Error('the transfer sink exited before listening');
  const ports = JSON.parse(line) as { tls: number; grpc: number };
  return { child, tlsPort: ports.tls, grpcPort: ports.grpc };
}

async function rawTlsRun(port: number, sender: SenderTls, chunk: Buffer): Promise<Sample> {
  const socket = tls.connect({ host: '127.0.0.1', port, ...sender, minVersion: 'TLSv1.3' });
  await once(socket, 'secureConnect');
  let reply = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (reply += d));
  const ended = once(socket, 'end');
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const head = Buffer.alloc(8);
  head.writeBigUInt64BE(BigInt(TOTAL));
  socket.write(head);
  for (let sent = 0; sent < TOTAL; sent += chunk.length) {
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  await ended;
  const seconds = (performance.now() - t0) / 1000;
  const senderCpuMs = cpuMs() - cpu0;
  socket.destroy();
  return { seconds, senderCpuMs, receiverCpuMs: (JSON.parse(reply) as { cpuMs: number }).cpuMs };
}

async function grpcRun(client: grpc.Client, chunk: Buffer): Promise<Sample> {
  const identity = (b: Buffer): Buffer => b;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  let call: grpc.ClientWritableStream<Buffer> | undefined;
  const answer = new Promise<Buffer>((resolve, reject) => {
    call = client.makeClientStreamRequest<Buffer, Buffer>('/bench.Sink/Put', identity, identity, (err, res) => (err !== null || res === undefined ? reject(err ?? new Error('no answer')) : resolve(res)));
  });
  for (let sent = 0; sent < TOTAL; sent += chunk.length) {
    if (!call!.write(chunk)) await once(call!, 'drain');
  }
  call!.end();
  const res = await answer;
  return { seconds: (performance.now() - t0) / 1000, senderCpuMs: cpuMs() - cpu0, receiverCpuMs: (JSON.parse(res.toString('utf8')) as { cpuMs: number }).cpuMs };
}

/** Runs `run` once to warm up, then RUNS times; the receiver's CPU is cumulative, so each run is charged its difference. */
async function measure(name: string, run: () => Promise<Sample>): Promise<BenchResult> {
  let receiverBefore = (await run()).receiverCpuMs;
  const samples: Array<Sample & { readonly receiverRunMs: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await run();
    samples.push({ ...s, receiverRunMs: s.receiverCpuMs - receiverBefore });
    receiverBefore = s.receiverCpuMs;
  }
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[sorted.length >> 1]!;
  const mbs = samples.map((s) => TOTAL / s.seconds / 1e6).sort((a, b) => a - b);
  const perMiB = (ms: number): string => (ms / (TOTAL / MiB)).toFixed(2);
  return {
    name,
    bytes: WRITE,
    runs: RUNS,
    mbPerSec: TOTAL / mid.seconds / 1e6,
    opsPerSec: TOTAL / WRITE / mid.seconds,
    p50Us: 0,
    p99Us: 0,
    note: `ceiling; CPU ms per MiB: sender ${perMiB(mid.senderCpuMs)}, receiver ${perMiB(mid.receiverRunMs)}; MB/s ${mbs[0]!.toFixed(0)}-${mbs[mbs.length - 1]!.toFixed(0)} over ${RUNS} runs of ${TOTAL / MiB} MiB`,
  };
}

export async function transferBenchmarks(): Promise<BenchResult[]> {
  const pki = await createTestPki({ trustDomain: 'bench.transfer', prefix: 'tessera-bench-transfer-' });
  let peer: Peer | undefined;
  let client: grpc.Client | undefined;
  try {
    const sinkFiles = await pki.node('sink');
    const sender = readSenderTls(await pki.node('source'));
    peer = await startSink(sinkFiles);
    const chunk = Buffer.alloc(WRITE, 0x5a);
    const results: BenchResult[] = [];
    process.stderr.write('transfer: raw mTLS stream\n');
    const tlsPort = peer.tlsPort;
    results.push(await measure('mTLS socket stream, 1 MiB writes', () => rawTlsRun(tlsPort, sender, chunk)));
    process.stderr.write('transfer: grpc-js client stream\n');
    const credentials = grpc.credentials.createSsl(sender.ca, sender.key, sender.cert);
    // SNI must be a name (an IP draws Node's DEP0123 warning); the node certificate's SAN has `localhost`.
    const grpcClient = new grpc.Client(`127.0.0.1:${peer.grpcPort}`, credentials, channelOptions({ 'grpc.ssl_target_name_override': 'localhost' }));
    client = grpcClient;
    results.push(await measure('mTLS gRPC client stream, 1 MiB messages', () => grpcRun(grpcClient, chunk)));
    return results;
  } finally {
    client?.close();
    if (peer !== undefined) {
      peer.child.stdin.end();
      if (peer.child.exitCode === null) await once(peer.child, 'exit');
    }
    await pki.cleanup();
  }
}
