/**
 * Reads the subjectAltName of a certificate as node:crypto's X509Certificate
 * reports it: entries `TYPE:value` separated by ", ", where node quotes a
 * value as a JSON string whenever it contains a separator, a quote or a
 * control character (CVE-2021-44532). We tokenize that format exactly, so a
 * crafted SAN such as `URI:"spiffe://td/a, URI:spiffe://td/admin/x"` stays one
 * entry and never becomes two.
 */

export interface SanEntry {
  /** Node's label: `URI`, `DNS`, `IP Address`, `email`, ... */
  readonly type: string;
  readonly value: string;
}

/** Parses node's subjectAltName string; undefined when it is not well-formed. */
export function parseSubjectAltName(san: string | undefined): SanEntry[] | undefined {
  if (san === undefined || san === '') return [];
  const entries: SanEntry[] = [];
  let i = 0;
  while (i < san.length) {
    const colon = san.indexOf(':', i);
    if (colon <= i) return undefined;
    const type = san.slice(i, colon);
    if (!/^[A-Za-z][A-Za-z ]*$/.test(type)) return undefined;
    let j = colon + 1;
    let value: string;
    if (san[j] === '"') {
      const end = endOfJsonString(san, j);
      if (end === undefined) return undefined;
      try {
        value = JSON.parse(san.slice(j, end + 1)) as string;
      } catch {
        return undefined;
      }
      j = end + 1;
    } else {
      const next = san.indexOf(', ', j);
      const end = next === -1 ? san.length : next;
      value = san.slice(j, end);
      // Node quotes any value holding these; unquoted, they mean a forged string.
      if (/[,"\\\x00-\x1f\x7f]/.test(value)) return undefined;
      j = end;
    }
    entries.push({ type, value });
    if (j === san.length) break;
    if (san.slice(j, j + 2) !== ', ') return undefined;
    i = j + 2;
    if (i === san.length) return undefined;
  }
  return entries;
}

/** Index of the closing quote of the JSON string starting at `start`. */
function endOfJsonString(s: string, start: number): number | undefined {
  for (let k = start + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '"') return k;
  }
  return undefined;
}
