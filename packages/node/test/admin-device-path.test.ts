import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { MAX_ADDED_DEVICE_CAPACITY, MAX_DEVICES_PER_NODE, checkDeviceConflicts, checkDeviceRequest, isStrictlyInside, resolveDeviceFolder } from '../src/admin/device-path.js';

const ROOTS = ['/srv/tessera', '/mnt/nvme0/'];
const request = (p: string, over: Partial<{ deviceId: string; capacityBytes: number; pool: string }> = {}) => ({ deviceId: 'd4', path: p, capacityBytes: 1 << 30, pool: 'default', ...over });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof TesseraError ? err.code : 'NOT_A_TESSERA_ERROR';
  }
}

describe('checkDeviceRequest (as written)', () => {
  it('accepts a folder strictly under a root and normalises it', () => {
    expect(checkDeviceRequest(request('/srv/tessera/d4'), ROOTS)).toEqual({ path: '/srv/tessera/d4', root: '/srv/tessera' });
    expect(checkDeviceRequest(request('/srv//tessera/./n1/d4/'), ROOTS)).toEqual({ path: '/srv/tessera/n1/d4', root: '/srv/tessera' });
    expect(checkDeviceRequest(request('/mnt/nvme0/d4'), ROOTS).root).toBe('/mnt/nvme0/');
  });

  it('refuses relative paths, `..` anywhere, NUL, the root itself, siblings sharing a prefix and paths outside every root', () => {
    for (const p of ['srv/tessera/d4', './d4', '/srv/tessera/../etc', '/srv/tessera/d4/..', '/srv/tessera/a/../d4', '/srv/tessera/d4\0x', '/srv/tessera', '/srv/tessera/', '/srv/tessera-other/d4', '/etc/d4', '/', '']) {
      expect(codeOf(() => checkDeviceRequest(request(p), ROOTS)), p).toBe(ErrorCodes.DEVICE_PATH_REFUSED);
    }
    expect(codeOf(() => checkDeviceRequest(request(`/srv/tessera/${'a'.repeat(1100)}`), ROOTS))).toBe(ErrorCodes.DEVICE_PATH_REFUSED);
    expect(codeOf(() => checkDeviceRequest(request('/srv/tessera/d4'), []))).toBe(ErrorCodes.DEVICE_PATH_REFUSED);
  });

  it('refuses a bad id, pool, zero or too large capacity as INVALID_ARGUMENT', () => {
    for (const over of [{ deviceId: 'D4' }, { deviceId: '' }, { deviceId: '../x' }, { pool: 'Fast Pool' }, { pool: '' }, { capacityBytes: 0 }, { capacityBytes: -1 }, { capacityBytes: 1.5 }, { capacityBytes: MAX_ADDED_DEVICE_CAPACITY + 1 }]) {
      expect(codeOf(() => checkDeviceRequest(request('/srv/tessera/d4', over), ROOTS)), JSON.stringify(over)).toBe(ErrorCodes.INVALID_ARGUMENT);
    }
    expect(checkDeviceRequest(request('/srv/tessera/d4', { capacityBytes: MAX_ADDED_DEVICE_CAPACITY }), ROOTS).path).toBe('/srv/tessera/d4');
  });

  it('property: any string either is refused with a TesseraError or lies strictly inside a root with no `..`', () => {
    const segment = fc.constantFrom('srv', 'tessera', 'mnt', 'nvme0', '..', '.', '', 'd4', 'x\0', 'tessera-other');
    const pathArb = fc.oneof(fc.string(), fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`));
    fc.assert(
      fc.property(pathArb, (p) => {
        let out;
        try {
          out = checkDeviceRequest(request(p), ROOTS);
        } catch (err) {
          return err instanceof TesseraError && err.code === ErrorCodes.DEVICE_PATH_REFUSED;
        }
        return !out.path.split('/').includes('..') && ROOTS.some((r) => isStrictlyInside(out.path, path.normalize(r)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkDeviceConflicts', () => {
  const local = [
    { deviceId: 'd1', path: '/srv/tessera/d1' },
    { deviceId: 'd2', path: '/srv/tessera/d2' },
  ];
  it('accepts a new id in a separate folder', () => {
    expect(() => checkDeviceConflicts({ deviceId: 'd4', path: '/srv/tessera/d4' }, local, new Map())).not.toThrow();
    // A prefix of a name is no nesting.
    expect(() => checkDeviceConflicts({ deviceId: 'd4', path: '/srv/tessera/d1x' }, local, new Map())).not.toThrow();
  });

  it('refuses an id in use locally or in the node/device table, and a folder equal to, inside or around another device', () => {
    expect(codeOf(() => checkDeviceConflicts({ deviceId: 'd1', path: '/srv/tessera/new' }, local, new Map()))).toBe(ErrorCodes.DEVICE_EXISTS);
    expect(codeOf(() => checkDeviceConflicts({ deviceId: 'd3', path: '/srv/tessera/d3' }, local, new Map([['d3', 'removed']])))).toBe(ErrorCodes.DEVICE_EXISTS);
    for (const p of ['/srv/tessera/d1', '/srv/tessera/d1/inner', '/srv/tessera']) {
      expect(codeOf(() => checkDeviceConflicts({ deviceId: 'd4', path: p }, local, new Map())), p).toBe(ErrorCodes.DEVICE_EXISTS);
    }
  });

  it('refuses a device beyond the per-node limit', () => {
    const many = Array.from({ length: MAX_DEVICES_PER_NODE }, (_, i) => ({ deviceId: `x${i}`, path: `/srv/tessera/x${i}` }));
    expect(codeOf(() => checkDeviceConflicts({ deviceId: 'd4', path: '/srv/tessera/d4' }, many, new Map()))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });
});

describe('resolveDeviceFolder (symlinks, existing folders)', () => {
  const dirs = tempDirs('tessera-device-path-');
  afterEach(() => dirs.cleanup());

  async function layout(): Promise<{ root: string; outside: string }> {
    const base = await dirs.make('base');
    const root = path.join(base, 'root');
    const outside = path.join(base, 'outside');
    await mkdir(root);
    await mkdir(outside);
    return { root, outside };
  }

  it('resolves a missing folder under the root, and a link that stays inside the root', async () => {
    const { root } = await layout();
    expect(await resolveDeviceFolder(checkDeviceRequest(request(path.join(root, 'a/b/d4')), [root]))).toEqual({ path: path.join(root, 'a/b/d4'), exists: false });
    await mkdir(path.join(root, 'real'));
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    expect(await resolveDeviceFolder(checkDeviceRequest(request(path.join(root, 'alias/d4')), [root]))).toEqual({ path: path.join(root, 'real/d4'), exists: false });
  });

  it('refuses a symlink leading outside the root, whether it is the folder itself or a parent', async () => {
    const { root, outside } = await layout();
    await symlink(outside, path.join(root, 'escape'));
    for (const p of [path.join(root, 'escape'), path.join(root, 'escape/d4')]) {
      await expect(resolveDeviceFolder(checkDeviceRequest(request(p), [root])), p).rejects.toMatchObject({ code: ErrorCodes.DEVICE_PATH_REFUSED });
    }
    // A link to the root itself is the root, not a folder inside it.
    await symlink(root, path.join(root, 'self'));
    await expect(resolveDeviceFolder(checkDeviceRequest(request(path.join(root, 'self')), [root]))).rejects.toMatchObject({ code: ErrorCodes.DEVICE_PATH_REFUSED });
  });

  it('accepts an empty folder or a Tessera device; refuses a non-empty foreign folder, a file and a missing root', async () => {
    const { root } = await layout();
    await mkdir(path.join(root, 'empty'));
    expect(await resolveDeviceFolder(checkDeviceRequest(request(path.join(root, 'empty')), [root]))).toEqual({ path: path.join(root, 'empty'), exists: true });
    await mkdir(path.join(root, 'device'));
    await writeFile(path.join(root, 'device', 'SUPERBLOCK'), 'x');
    expect((await resolveDeviceFolder(checkDeviceRequest(request(path.join(root, 'device')), [root]))).exists).toBe(true);
    await mkdir(path.join(root, 'photos'));
    await writeFile(path.join(root, 'photos', 'cat.jpg'), 'x');
    await writeFile(path.join(root, 'file'), 'x');
    for (const p of [path.join(root, 'photos'), path.join(root, 'file'), path.join(root, 'file/d4')]) {
      await expect(resolveDeviceFolder(checkDeviceRequest(request(p), [root])), p).rejects.toMatchObject({ code: ErrorCodes.DEVICE_PATH_REFUSED });
    }
    const gone = path.join(root, 'no-such-root');
    await expect(resolveDeviceFolder(checkDeviceRequest(request(path.join(gone, 'd4')), [gone]))).rejects.toMatchObject({ code: ErrorCodes.DEVICE_PATH_REFUSED });
  });
});
