/**
 * A minimal etcd v3 KV client over @grpc/grpc-js with mutual TLS, from the
 * hand-written subset of etcd's API in kv.proto: put, and linearizable or
 * serializable get. One channel (one HTTP/2 connection) to one member, shared
 * by every concurrent caller, the same layout as @tessera/node's ClusterClient.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO = fileURLToPath(new URL('./kv.proto', import.meta.url));
const CALL_TIMEOUT_MS = 10_000;

interface PutRequest {
  key: Buffer;
  value: Buffer;
}
interface RangeRequest {
  key: Buffer;
  serializable: boolean;
}
interface RangeResponse {
  kvs: Array<{ key: Buffer; value: Buffer }>;
}
type Unary<Req, Res> = (req: Req, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;
interface KvStub extends grpc.Client {
  Put: Unary<PutRequest, object>;
  Range: Unary<RangeRequest, RangeResponse>;
}

export interface EtcdTlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

let kvConstructor: grpc.ServiceClientConstructor | undefined;

function kvService(): grpc.ServiceClientConstructor {
  if (kvConstructor === undefined) {
    const definition = protoLoader.loadSync(PROTO, { keepCase: false, longs: String, defaults: true });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as { etcdserverpb: { KV: grpc.ServiceClientConstructor } };
    kvConstructor = pkg.etcdserverpb.KV;
  }
  return kvConstructor;
}

export class EtcdKv {
  private readonly stub: KvStub;

  constructor(address: string, tls: EtcdTlsFiles) {
    const credentials = grpc.credentials.createSsl(readFileSync(tls.caFile), readFileSync(tls.keyFile), readFileSync(tls.certFile));
    const Kv = kvService();
    this.stub = new Kv(address, credentials, {
      'grpc.use_local_subchannel_pool': 1,
      // Verify the member's DNS SAN `localhost` (SNI may not carry an IP address, RFC 6066).
      'grpc.ssl_target_name_override': 'localhost',
    }) as unknown as KvStub;
  }

  put(key: Buffer, value: Buffer): Promise<void> {
    return this.unary<PutRequest, object>(this.stub.Put.bind(this.stub), { key, value }).then(() => undefined);
  }

  /** Range of one key: linearizable (etcd's ReadIndex) unless `serializable`. */
  async get(key: Buffer, serializable = false): Promise<Buffer | undefined> {
    const res = await this.unary<RangeRequest, RangeResponse>(this.stub.Range.bind(this.stub), { key, serializable });
    return res.kvs[0]?.value;
  }

  close(): void {
    this.stub.close();
  }

  private unary<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      method(req, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, res) => {
        if (err !== null) reject(new Error(`etcd ${err.details || err.message}`));
        else if (res === undefined) reject(new Error('etcd: empty response'));
        else resolve(res);
      });
    });
  }
}
