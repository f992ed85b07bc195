/**
 * The one DER value @peculiar/x509 has no helper for: the CRL number
 * extension (RFC 5280 5.2.3), an INTEGER. Everything else is built by the
 * library.
 */
import { x509 } from './x509.js';

export const CRL_NUMBER_OID = '2.5.29.20';

/** DER encoding of a non-negative INTEGER below 2^48. */
export function derInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** 48) throw new RangeError('CRL number out of range');
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) >= 0x80) bytes.unshift(0);
  return Uint8Array.from([0x02, bytes.length, ...bytes]);
}

export function crlNumberExtension(value: number): x509.Extension {
  return new x509.Extension(CRL_NUMBER_OID, false, derInteger(value));
}
