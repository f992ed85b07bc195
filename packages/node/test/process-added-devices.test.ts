import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { ADDED_DEVICES_FILE, decodeAddedDevices, encodeAddedDevices, loadAddedDevices, mergeDevices, saveAddedDevices } from '../src/process/added-devices.js';
import { resolveNodeConfig } from '../src/process/config.js';

const d4 = { id: 'd4', path: '/srv/tessera/d4', capacityBytes: 100 * 1024 ** 3, pool: 'default' };
const d5 = { id: 'd5', path: '/srv/tessera/d5', capacityBytes: 1, pool: 'fast' };

describe('added-devices.json', () => {
  const dirs = tempDirs('tessera-added-devices-');
  afterEach(() => dirs.cleanup());

  it('round-trips through the versioned encoding, and through the data dir', async () => {
    expect(decodeAddedDevices(encodeAddedDevices([d4, d5]))).toEqual([d4, d5]);
    const dir = await dirs.make();
    expect(await loadAddedDevices(dir)).toEqual([]);
    await saveAddedDevices(dir, [d4]);
    await saveAddedDevices(dir, [d4, d5]);
    expect(await loadAddedDevices(dir)).toEqual([d4, d5]);
    expect(JSON.parse(await readFile(path.join(dir, ADDED_DEVICES_FILE), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('refuses another version, bad entries, duplicates and oversize input with a TesseraError', async () => {
    const bad = [
      '{"version":2,"devices":[]}',
      '[]',
      'not json',
      '{"version":1,"devices":[{"id":"D4","path":"/x","capacityBytes":1,"pool":"default"}]}',
      '{"version":1,"devices":[{"id":"d4","path":"relative","capacityBytes":1,"pool":"default"}]}',
      '{"version":1,"devices":[{"id":"d4","path":"/x","capacityBytes":0,"pool":"default"}]}',
      '{"version":1,"devices":[{"id":"d4","path":"/x","capacityBytes":"1","pool":"default"}]}',
      '{"version":1,"devices":[{"id":"d4","path":"/x","capacityBytes":1}]}',
      encodeAddedDevices([d4, d4]),
      ' '.repeat(300 * 1024),
    ];
    for (const text of bad) expect(() => decodeAddedDevices(text), text.slice(0, 60)).toThrow(TesseraError);
    const dir = await dirs.make();
    await writeFile(path.join(dir, ADDED_DEVICES_FILE), '{"version":1');
    await expect(loadAddedDevices(dir)).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });

  it('property: arbitrary text or JSON only ever decodes or throws a TesseraError', () => {
    const text = fc.oneof(fc.string(), fc.json(), fc.anything().map((v) => JSON.stringify({ version: 1, devices: [v] }) ?? ''));
    fc.assert(
      fc.property(text, (t) => {
        try {
          decodeAddedDevices(t);
          return true;
        } catch (err) {
          return err instanceof TesseraError;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('merges after the configured devices; the configuration wins on an id or a folder', () => {
    const configured = [{ id: 'd1', path: '/srv/tessera/d1', capacityBytes: 1, pool: 'default' }];
    expect(mergeDevices(configured, [d4])).toEqual({ devices: [...configured, d4], shadowed: [] });
    const sameId = { ...d4, id: 'd1' };
    const sameFolder = { ...d5, path: '/srv/tessera/d1/' };
    expect(mergeDevices(configured, [sameId, sameFolder, d4])).toEqual({ devices: [...configured, d4], shadowed: [sameId, sameFolder] });
  });
});

describe('deviceRoots config', () => {
  const base = { id: 'n1', dataDir: '/var/lib/tessera/n1', cert: 'c', key: 'k', ca: 'a', crl: 'r' };

  it('defaults to the parent folders of the devices', () => {
    expect(resolveNodeConfig({}, base).deviceRoots).toEqual(['/var/lib/tessera/n1/devices']);
    expect(resolveNodeConfig({}, { ...base, device: ['d1=/srv/a/d1', 'd2=/srv/a/d2', 'd3=/mnt/b/d3:100'] }).deviceRoots).toEqual(['/srv/a', '/mnt/b']);
  });

  it('takes the file key (relative to the config file) or the repeatable flag, which wins', () => {
    expect(resolveNodeConfig({ deviceRoots: ['/srv/tessera', 'more'] }, base, '/etc/tessera').deviceRoots).toEqual(['/srv/tessera', '/etc/tessera/more']);
    expect(resolveNodeConfig({ deviceRoots: ['/srv/tessera'] }, { ...base, deviceRoot: ['/mnt/x', '/mnt/y'] }).deviceRoots).toEqual(['/mnt/x', '/mnt/y']);
  });

  it('refuses the file-system root and a malformed list', () => {
    expect(() => resolveNodeConfig({ deviceRoots: ['/'] }, base)).toThrow(/device root/);
    expect(() => resolveNodeConfig({}, { ...base, deviceRoot: ['/'] })).toThrow(/device root/);
    expect(() => resolveNodeConfig({ deviceRoots: '/srv' }, base)).toThrow(/deviceRoots/);
    expect(() => resolveNodeConfig({ deviceRoots: [''] }, base)).toThrow(/deviceRoots/);
  });
});
