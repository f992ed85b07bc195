import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlFileAuditSink } from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('JsonlFileAuditSink', () => {
  it('appends one JSON object per event to a 0600 file, scrubbing secret-shaped values', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-audit-'));
    dirs.push(dir);
    const file = path.join(dir, 'audit.jsonl');
    const sink = new JsonlFileAuditSink(file);
    sink.record({ type: 'rpc.denied', method: '/tessera.v1.Data/PutObject', principal: 'spiffe://td/tenant/a/client/x', reason: 'foreign-tenant-field', field: 'chunkIds' });
    // A reason that looks like key material never reaches the disk.
    sink.record({ type: 'rpc.unauthenticated', reason: 'a'.repeat(64) });
    await sink.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ msg: 'rpc.denied', method: '/tessera.v1.Data/PutObject', reason: 'foreign-tenant-field', field: 'chunkIds' });
    expect(lines[1]?.['reason']).toBe('[redacted]');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
