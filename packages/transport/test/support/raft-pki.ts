/** A throwaway cluster PKI for the Raft transport tests (shared helper from @tessera/launcher). */
import { createTestPki as createPki, type TestPki } from '@tessera/launcher';

export type { TestPki };
export const TRUST_DOMAIN = 'node.test';

export function createTestPki(): Promise<TestPki> {
  return createPki({ trustDomain: TRUST_DOMAIN, prefix: 'tessera-raft-pki-' });
}
