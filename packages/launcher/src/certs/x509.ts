/**
 * @peculiar/x509, ready to use: it needs the reflect-metadata polyfill loaded
 * before it, and a WebCrypto implementation (node's).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509, webcrypto };

/** ECDSA over P-256 with SHA-256: the only key type Tessera issues. */
export const EC_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const EC_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
