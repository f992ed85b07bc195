/**
 * The receiving process of the `transfer` bench section (transfer.ts): a
 * raw mTLS listener and a grpc-js mTLS server on loopback port 0, both
 * discarding what they receive and answering with the CPU this process has
 * used so far, so the sender can charge each transfer's receiving CPU.
 *
 *   tsx transfer-sink.ts <certFile> <keyFile> <caFile>
 *
 * Prints `{"tls":<port>,"grpc":<port>}` once both listen; exits when its
 * stdin closes (the bench process went away).
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { applyHeapTuning } from '@tessera/cli';
import { widenServerSessions } from '@tessera/transport';
import { MAX_MESSAGE_BYTES } from '@tessera/wire';

const [certFile, keyFile, caFile] = process.argv.slice(2);
if (certFile === undefined || keyFile === undefined || caFile === undefined) {
  process.stderr.write('usage: transfer-sink <certFile> <keyFile> <caFile>\n');
  process.exit(2);
}
// The same V8 heap setting as a tessera process (ADR 0025): this process stands in for a node.
applyHeapTuning();
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);
const ca = readFileSync(caFile);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// Raw mTLS: one transfer per connection, an 8-byte big-endian length and then that many bytes.
const tlsServer = tls.createServer({ cert, key, ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (socket) => {
  let head = Buffer.alloc(0);
  let want = -1;
  let got = 0;
  socket.on('data', (data: Buffer) => {
    if (want < 0) {
      head = Buffer.concat([head, data]);
      if (head.length < 8) return;
      want = Number(head.readBigUInt64BE(0));
      got = head.length - 8;
    } else {
      got += data.length;
    }
    if (got >= want) socket.end(JSON.stringify({ cpuMs: cpuMs() }) + '\n');
  });
  socket.on('error', () => undefined);
});

// grpc-js: one client-streaming call per transfer; messages are opaque bytes (no protobuf), so this is
// grpc-js's framing, HTTP/2 and TLS only, with the receive windows every Tessera port uses.
const identity = (b: Buffer): Buffer => b;
const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
server.addService(
  { Put: { path: '/bench.Sink/Put', requestStream: true, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
  {
    Put: (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      call.on('data', () => undefined);
      call.on('end', () => callback(null, Buffer.from(JSON.stringify({ cpuMs: cpuMs() }))));
    },
  },
);

tlsServer.listen(0, '127.0.0.1', () => {
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: cert }], true), (err, grpcPort) => {
    if (err !== null) {
      process.stderr.write(`transfer-sink: ${err.message}\n`);
      process.exit(1);
    }
    widenServerSessions(server);
    const address = tlsServer.address();
    const tlsPort = typeof address === 'object' && address !== null ? address.port : 0;
    process.stdout.write(JSON.stringify({ tls: tlsPort, grpc: grpcPort }) + '\n');
  });
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
