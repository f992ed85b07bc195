/** Certificate serial numbers as lowercase hex without leading zeros. */
import { randomBytes } from 'node:crypto';
import { ErrorCodes, TesseraError } from '@tessera/common';

/** 128 random bits, positive and without a leading zero byte (DER-minimal). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Canonical form of a serial typed by a person or read from a certificate. */
export function normalizeSerial(serial: string): string {
  const hex = serial.trim().toLowerCase().replace(/^0x/, '').replace(/:/g, '');
  if (!/^[0-9a-f]{1,64}$/.test(hex)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'serial must be hexadecimal');
  const stripped = hex.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** The even-length hex @peculiar/x509 expects for a serial. */
export function serialForDer(serial: string): string {
  const hex = normalizeSerial(serial);
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  // A serial whose top bit is set needs a zero byte to stay positive.
  return parseInt(even.slice(0, 2), 16) >= 0x80 ? `00${even}` : even;
}
