import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTO_FILES, SERVICE_NAMES, listMethods, protoRoot, tesseraV1 } from '../src/index.js';

/**
 * Every field, enum value, message, enum, service and rpc in tessera.v1 carries
 * a comment on the line(s) just above it (protos are the wire contract).
 */
function undocumentedDeclarations(source: string): string[] {
  const lines = source.split('\n');
  const missing: string[] = [];
  const declaration =
    /^\s*(message|enum|service|rpc|oneof)\s+\w+|^\s*(repeated\s+)?(map<[\w.]+,\s*[\w.]+>|[\w.]+)\s+\w+\s*=\s*\d+\s*;|^\s*[A-Z][A-Z0-9_]*\s*=\s*\d+\s*;/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!declaration.test(line)) continue;
    if (/^\s*oneof\s/.test(line)) continue; // a oneof is documented by its members
    const previous = (lines[i - 1] ?? '').trim();
    if (!previous.startsWith('//')) missing.push(`${i + 1}: ${line.trim()}`);
  }
  return missing;
}

describe('proto files', () => {
  it.each(PROTO_FILES)('%s declares package tessera.v1 and documents every declaration', async (file) => {
    const source = await readFile(path.join(protoRoot(), file), 'utf8');
    expect(source).toMatch(/^package tessera\.v1;$/m);
    expect(source).toMatch(/^syntax = "proto3";$/m);
    expect(undocumentedDeclarations(source)).toEqual([]);
  });

  it('the documentation check notices an undocumented field', () => {
    expect(undocumentedDeclarations('message A {\n  // ok\n  string a = 1;\n  string b = 2;\n}\n')).toEqual([
      '1: message A {',
      '4: string b = 2;',
    ]);
  });
});

describe('loaded services', () => {
  it('exposes a client constructor and a definition for every service', () => {
    const v1 = tesseraV1();
    for (const name of SERVICE_NAMES) {
      expect(typeof v1[name]).toBe('function');
      expect(Object.keys(v1[name].service).length).toBeGreaterThan(0);
    }
  });

  it('lists every method with its streaming shape', () => {
    const methods = listMethods();
    const byPath = new Map(methods.map((m) => [m.path, m]));
    expect(byPath.get('/tessera.v1.Raft/Exchange')).toMatchObject({ requestStream: true, responseStream: true });
    expect(byPath.get('/tessera.v1.Raft/InstallSnapshot')).toMatchObject({ requestStream: true, responseStream: false });
    expect(byPath.get('/tessera.v1.Data/PutChunk')).toMatchObject({ requestStream: true, responseStream: false });
    expect(byPath.get('/tessera.v1.Data/PutObject')).toMatchObject({ requestStream: false, responseStream: false });
    expect(byPath.get('/tessera.v1.Data/GetObject')).toMatchObject({ requestStream: false, responseStream: true });
    expect(byPath.get('/tessera.v1.Fabric/PutShard')).toMatchObject({ requestStream: true, responseStream: false });
    expect(byPath.get('/tessera.v1.Fabric/ForwardPropose')).toMatchObject({ requestStream: false, responseStream: false });
    expect(byPath.get('/tessera.v1.Keys/Watch')).toMatchObject({ requestStream: false, responseStream: true });
    expect(new Set(methods.map((m) => m.service))).toEqual(new Set(SERVICE_NAMES.map((s) => `tessera.v1.${s}`)));
  });
});

describe('encoding', () => {
  const exchange = tesseraV1().Raft.service.Exchange;

  it('carries u64 as decimal strings without rounding, bytes as Buffers, camelCase fields', () => {
    const bytes = exchange.requestSerialize({
      seq: '18446744073709551615',
      messages: [
        {
          clusterId: 'c1',
          groupId: 'meta',
          from: 'n1',
          fromIncarnationId: 'i1',
          to: 'n2',
          toIncarnationId: '',
          message: Buffer.from([1, 2, 3]),
        },
      ],
    });
    const decoded = exchange.requestDeserialize(bytes);
    expect(decoded.seq).toBe('18446744073709551615');
    expect(decoded.messages[0]?.message).toEqual(Buffer.from([1, 2, 3]));
    expect(decoded.messages[0]?.groupId).toBe('meta');
  });

  it('fills defaults and names the member of a oneof', () => {
    const put = tesseraV1().Data.service.PutChunk;
    const decoded = put.requestDeserialize(put.requestSerialize({ data: Buffer.from('abc') }));
    expect(decoded.kind).toBe('data');
    expect(decoded.header).toBeUndefined();
    expect(decoded.data).toEqual(Buffer.from('abc'));
    const header = put.requestDeserialize(put.requestSerialize({ header: { size: '5' } }));
    expect(header.kind).toBe('header');
    expect(header.data).toBeUndefined();
    expect(header.header?.size).toBe('5');
    expect(header.header?.session).toBeNull();
  });

  it('fills repeated, map and bytes defaults of a PutObject and keeps chunk order', () => {
    const put = tesseraV1().Data.service.PutObject;
    const empty = put.requestDeserialize(put.requestSerialize({}));
    expect(empty).toMatchObject({ session: null, name: '', chunkIds: [], attributes: {} });
    expect(empty.inlineData).toEqual(Buffer.alloc(0));
    const ids = [Buffer.alloc(32, 2), Buffer.alloc(32, 1)];
    const full = put.requestDeserialize(
      put.requestSerialize({ session: { clientId: '7', seq: '3', ackedThrough: '2' }, name: 'n', chunkIds: ids, attributes: { k: 'v' } }),
    );
    expect(full.session).toEqual({ clientId: '7', seq: '3', ackedThrough: '2' });
    expect(full.chunkIds).toEqual(ids);
    expect(full.attributes).toEqual({ k: 'v' });
  });
});
