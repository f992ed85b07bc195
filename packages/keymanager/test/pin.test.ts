/**
 * Node pins from certificate files: what `tessera keymanager allow-node
 * --node-cert` sends and what the in-process cluster harnesses send, so both
 * must pin the SHA-256 of the certificate's DER SubjectPublicKeyInfo.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { spkiSha256, spkiSha256OfFile } from '../src/index.js';
import { createKmTestPki, type KmTestPki } from './support/km-pki.js';

let pki: KmTestPki;

beforeAll(async () => {
  pki = await createKmTestPki();
});

afterAll(async () => {
  await pki.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(TesseraError);
    return (err as TesseraError).code;
  }
}

describe('spkiSha256OfFile', () => {
  it('is the SHA-256 of the DER SubjectPublicKeyInfo of a PEM certificate file, as spkiSha256 of its text', async () => {
    const { certFile } = await pki.cluster('node-n1', { kind: 'node', id: 'n1' });
    const pem = await readFile(certFile, 'utf8');
    const expected = createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest();
    const pin = await spkiSha256OfFile(certFile);
    expect(pin.toString('hex')).toBe(expected.toString('hex'));
    expect(pin.equals(spkiSha256(pem))).toBe(true);
  });

  it('gives the same pin for the DER encoding of the certificate, and a different one for another key', async () => {
    const n1 = await pki.cluster('node-n1', { kind: 'node', id: 'n1' });
    const n2 = await pki.cluster('node-n2', { kind: 'node', id: 'n2' });
    const derFile = path.join(pki.root, 'node-n1.der');
    await writeFile(derFile, new X509Certificate(await readFile(n1.certFile)).raw);
    expect((await spkiSha256OfFile(derFile)).equals(await spkiSha256OfFile(n1.certFile))).toBe(true);
    expect((await spkiSha256OfFile(n2.certFile)).equals(await spkiSha256OfFile(n1.certFile))).toBe(false);
  });

  it('refuses a missing file (CERT_IO) and a file that is not a certificate (CERT_INVALID)', async () => {
    expect(await codeOf(spkiSha256OfFile(path.join(pki.root, 'absent.crt')))).toBe(ErrorCodes.CERT_IO);
    const { keyFile } = await pki.cluster('node-n1', { kind: 'node', id: 'n1' });
    expect(await codeOf(spkiSha256OfFile(keyFile))).toBe(ErrorCodes.CERT_INVALID);
  });
});
