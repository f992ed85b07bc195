/**
 * Request and grant ids. A request id is 16 random bytes chosen by the node
 * that proposes the request (so replicas never draw randomness); the grant
 * that answers it is named by a hash of the request id, so approving needs
 * no second random draw and every replica derives the same grant id. Both
 * travel as 32 lowercase hex characters in the Admin API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { ACCESS_LIMITS } from './types.js';

const GRANT_ID_LABEL = Buffer.from('tessera/v1/grant-id', 'ascii');
const HEX_ID = /^[0-9a-f]{32}$/;

export function newRequestId(): Buffer {
  return randomBytes(ACCESS_LIMITS.idBytes);
}

/** grantId = SHA-256("tessera/v1/grant-id" ‖ requestId)[0..16). */
export function grantIdOf(requestId: Uint8Array): Buffer {
  return createHash('sha256').update(GRANT_ID_LABEL).update(requestId).digest().subarray(0, ACCESS_LIMITS.idBytes);
}

/** Parses an id as the Admin API carries it; undefined for anything but 32 lowercase hex characters. */
export function parseAccessId(text: string): Buffer | undefined {
  return HEX_ID.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Like parseAccessId, INVALID_ARGUMENT when malformed. */
export function requireAccessId(text: string, what: string): Buffer {
  const id = parseAccessId(text);
  if (id === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${what} must be 32 hex characters`);
  return id;
}
