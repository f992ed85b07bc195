/**
 * Text rules shared by the object layer: object names and attribute keys are
 * well-formed Unicode (so their UTF-8 bytes round-trip exactly), and names
 * sort in UTF-8 byte order, which is code point order.
 */

// With the `u` flag a surrogate pair is one code point, so this matches only
// unpaired surrogates: the strings whose UTF-8 encoding would silently turn
// them into U+FFFD (two names, one encoding).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * Why an object name is refused, or undefined when it is acceptable:
 * 1..`maxBytes` bytes of UTF-8, well-formed, no NUL.
 */
export function nameProblem(name: string, maxBytes: number): string | undefined {
  if (name.length === 0) return 'object name must not be empty';
  if (!isWellFormed(name)) return 'object name must be well-formed Unicode';
  if (name.includes('\u0000')) return 'object name must not contain NUL';
  if (utf8Length(name) > maxBytes) return `object name must be at most ${maxBytes} bytes of UTF-8`;
  return undefined;
}

/**
 * Orders well-formed strings by code point, i.e. by their UTF-8 bytes,
 * without encoding them. UTF-16 code unit order agrees with code point order
 * except that surrogates (U+D800..U+DFFF, which only appear as halves of
 * code points above U+FFFF) sort below U+E000..U+FFFF; shifting both ranges
 * where two strings first differ restores code point order.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
