/**
 * docs/configuration.md is written by hand (the resolvers have no
 * declarative schema to generate it from); this test keeps it complete:
 * every config-file key a resolver reads, and every flag of `node start` and
 * `keymanager start`, must appear on the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_RESOLVERS, ROOT, configKeysRead } from './deploy-assets.js';

const doc = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
/** Every `code` span of the page, split on dots, so `tls.cert` documents `tls` and `cert`. */
const documented = new Set([...doc.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/[.\s=[\]]+/)));

/** `--flag` names registered on one command (the `.command('start')` chain up to its action). */
function startFlags(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(".command('start')");
  const end = text.indexOf('.action(', start);
  expect(start).toBeGreaterThanOrEqual(0);
  const chain = text.slice(start, end);
  const shared = file.endsWith('keymanager.ts') ? text.slice(text.indexOf('function providerOptions'), text.indexOf('interface StartOptions')) : '';
  return [...`${chain}\n${shared}`.matchAll(/\.option\('(--[a-z0-9-]+)/g)].map((m) => m[1]!);
}

describe('docs/configuration.md', () => {
  it.each(Object.entries(CONFIG_RESOLVERS))('names every config key the %s resolver reads', (_kind, files) => {
    const keys = [...configKeysRead(files)];
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
  });

  it.each([
    ['node start', path.join(ROOT, 'packages/cli/src/commands/node.ts')],
    ['keymanager start', path.join(ROOT, 'packages/cli/src/commands/keymanager.ts')],
  ])('names every flag of %s', (_cmd, file) => {
    const flags = startFlags(file).filter((f) => f !== '--config');
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.filter((f) => !doc.includes(`\`${f}`))).toEqual([]);
  });

  it('the key check notices an undocumented key (it can fail)', () => {
    expect(documented.has('notARealKeyXyz')).toBe(false);
    expect(documented.has('syncEveryEntries')).toBe(true);
  });
});
