/**
 * The object verbs' test harness: `tessera …` run in-process with buffered
 * output, against a fake node client port (real mTLS, a tenant client
 * certificate of the tenant's own CA).
 */
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { FakeDataServer, createTenantTestPki, type TenantTestPki } from '@tessera/client/testing';
import { runCli } from '../../src/index.js';
import type { ObjectIo } from '../../src/commands/objects.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What went to the binary stdout (`get` to `-`). */
  readonly bytes: Buffer;
}

export async function runObjectCli(args: readonly string[], stdin?: Readable, stderrIsTty = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const parts: Buffer[] = [];
  const binaryStdout = new PassThrough();
  binaryStdout.on('data', (b: Buffer) => parts.push(b));
  const io: ObjectIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    binaryStdout,
    stderrIsTty,
    ...(stdin !== undefined ? { stdin } : {}),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr, bytes: Buffer.concat(parts) };
}

export interface FakeDataPort {
  readonly pki: TenantTestPki;
  readonly server: FakeDataServer;
  /** `--endpoint … --cert … --key … --ca … --crl …` for the tenant's client. */
  readonly connection: readonly string[];
}

/** Starts a fake data port for the file's tests (beforeAll) and stops it after them; `get()` inside a test. */
export function fakeDataPort(): { get(): FakeDataPort } {
  let port: FakeDataPort | undefined;
  beforeAll(async () => {
    const pki = await createTenantTestPki();
    const server = await FakeDataServer.start({ trustDomain: pki.trustDomain, tls: await pki.node('n1'), tenantCas: await pki.registry() });
    const connection = ['--endpoint', server.address, '--cert', pki.client.certFile, '--key', pki.client.keyFile, '--ca', pki.client.caFile, '--crl', pki.client.crlFile];
    port = { pki, server, connection };
  });
  afterAll(async () => {
    await port?.server.close();
    await port?.pki.cleanup();
  });
  return {
    get: () => {
      if (port === undefined) throw new Error('the fake data port is not started (use it inside a test)');
      return port;
    },
  };
}
