/**
 * The byte strings a plaintext canary can take on disk (DESIGN K1): the
 * marker itself and the text encodings a careless writer (a log line, a JSON
 * field, a debug dump) would turn it into. Pure: no I/O.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

/** One form of the marker to look for. */
export interface CanaryNeedle {
  /**
   * Name of the encoding: `raw`, `hex`, `HEX`, `utf16le(hex)`, … `utf16le`,
   * `utf16be` (of the marker as text), `base64@0`…`base64url@2` (the digit is
   * the marker's byte offset modulo 3 in the encoded stream). When several
   * encodings give the same bytes, their names are joined with `|`.
   */
  readonly encoding: string;
  readonly bytes: Buffer;
}

/**
 * Shortest marker accepted: every needle then has at least 10 bytes (base64
 * at a shifted alignment keeps the fewest), so a random hit in gigabytes of
 * data is out of reach (64^-10 per position at worst).
 */
export const CANARY_MIN_BYTES = 8;
/** Longest marker accepted: bounds the scan overlap and the needle count × length. */
export const CANARY_MAX_BYTES = 4096;

const BASE64_ALPHABETS = ['base64', 'base64url'] as const;

/**
 * The part of base64(`shift` arbitrary bytes ‖ marker ‖ arbitrary bytes)
 * that depends on the marker alone: the characters whose 6 bits all lie
 * inside the marker's bits. Neighbouring bytes (and padding) change the
 * characters that straddle the marker's edges, so those are left out.
 */
function stableBase64(marker: Buffer, shift: number, alphabet: (typeof BASE64_ALPHABETS)[number]): Buffer {
  const text = Buffer.concat([Buffer.alloc(shift), marker]).toString(alphabet);
  const firstBit = 8 * shift;
  const endBit = 8 * (shift + marker.length);
  const start = Math.ceil(firstBit / 6);
  const end = Math.floor(endBit / 6);
  return Buffer.from(text.slice(start, end), 'latin1');
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** The marker as text, when it is well-formed UTF-8 (so a UTF-16 copy of it is meaningful). */
function markerText(marker: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(marker);
  } catch {
    return undefined;
  }
}

/**
 * Every encoding of `marker` to look for: raw bytes; hex in lower and upper
 * case; UTF-16LE/BE of both hex strings and (when the marker is UTF-8 text)
 * of the marker itself; base64 and base64url at the three byte alignments.
 * Needles are distinct: encodings giving the same bytes share one entry.
 */
export function canaryNeedles(marker: Uint8Array): ReadonlyArray<CanaryNeedle> {
  if (marker.length < CANARY_MIN_BYTES || marker.length > CANARY_MAX_BYTES) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `a canary marker has ${CANARY_MIN_BYTES} to ${CANARY_MAX_BYTES} bytes`);
  }
  const raw = Buffer.from(marker);
  const hex = raw.toString('hex');
  const HEX = hex.toUpperCase();
  const forms: [string, Buffer][] = [
    ['raw', raw],
    ['hex', Buffer.from(hex, 'latin1')],
    ['HEX', Buffer.from(HEX, 'latin1')],
    ['utf16le(hex)', Buffer.from(hex, 'utf16le')],
    ['utf16be(hex)', utf16be(hex)],
    ['utf16le(HEX)', Buffer.from(HEX, 'utf16le')],
    ['utf16be(HEX)', utf16be(HEX)],
  ];
  const text = markerText(raw);
  if (text !== undefined) forms.push(['utf16le', Buffer.from(text, 'utf16le')], ['utf16be', utf16be(text)]);
  for (const alphabet of BASE64_ALPHABETS) {
    for (const shift of [0, 1, 2]) forms.push([`${alphabet}@${shift}`, stableBase64(raw, shift, alphabet)]);
  }
  const byBytes = new Map<string, { names: string[]; bytes: Buffer }>();
  for (const [name, bytes] of forms) {
    const key = bytes.toString('hex');
    const entry = byBytes.get(key);
    if (entry === undefined) byBytes.set(key, { names: [name], bytes });
    else entry.names.push(name);
  }
  return [...byBytes.values()].map(({ names, bytes }) => ({ encoding: names.join('|'), bytes }));
}
