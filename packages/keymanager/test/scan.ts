/**
 * Searching bytes for a key in every encoding a careless line of code might
 * write it in: raw, hex in both cases, and base64 and base64url at every
 * alignment. For base64 the key may start at any offset of a 3-byte group,
 * so the key is encoded behind 0, 1 and 2 filler bytes and only the
 * characters that depend on key bits alone are searched (42 of them).
 */
export interface Needle {
  readonly encoding: string;
  readonly bytes: Buffer;
}

function stableBase64(key: Buffer, prefix: number, url: boolean): string {
  const text = Buffer.concat([Buffer.alloc(prefix), key]).toString(url ? 'base64url' : 'base64');
  const start = Math.ceil((8 * prefix) / 6);
  const end = Math.floor((8 * (prefix + key.length)) / 6);
  return text.slice(start, end);
}

export function needles(key: Buffer): Needle[] {
  const out: Needle[] = [
    { encoding: 'raw', bytes: key },
    { encoding: 'hex', bytes: Buffer.from(key.toString('hex'), 'ascii') },
    { encoding: 'HEX', bytes: Buffer.from(key.toString('hex').toUpperCase(), 'ascii') },
  ];
  for (const url of [false, true]) {
    for (const prefix of [0, 1, 2]) out.push({ encoding: `${url ? 'base64url' : 'base64'}@${prefix}`, bytes: Buffer.from(stableBase64(key, prefix, url), 'ascii') });
  }
  return out;
}

export interface Hit {
  readonly where: string;
  readonly key: string;
  readonly encoding: string;
}

export function search(haystacks: ReadonlyArray<{ where: string; bytes: Buffer }>, keys: ReadonlyMap<string, Buffer>): Hit[] {
  const hits: Hit[] = [];
  for (const [name, key] of keys) {
    for (const needle of needles(key)) {
      for (const h of haystacks) if (h.bytes.includes(needle.bytes)) hits.push({ where: h.where, key: name, encoding: needle.encoding });
    }
  }
  return hits;
}
