/**
 * SoftHSM2 for tests: each test file gets its own token folder and config
 * in a temp dir (SOFTHSM2_CONF points there; the system token folder is
 * never touched). Like `describeVectors`: when SoftHSM2 is missing the suite
 * skips with a one-line install hint, and under CI=true it fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { isCi } from '@tessera/common/testing';

export const SOFTHSM_LIBRARY = process.env['TESSERA_SOFTHSM2_LIB'] ?? '/usr/lib/softhsm/libsofthsm2.so';
const INSTALL_HINT = 'SoftHSM2 not found (install the Debian package: apt-get install softhsm2; see scripts/deps.txt)';

function softhsmUtil(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v softhsm2-util'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function softhsmAvailable(): boolean {
  return existsSync(SOFTHSM_LIBRARY) && softhsmUtil() !== undefined;
}

export function describePkcs11(title: string, body: () => void): void {
  if (softhsmAvailable()) {
    describe(title, body);
    return;
  }
  if (isCi()) {
    describe(title, () => {
      it('requires SoftHSM2 under CI', () => {
        throw new Error(INSTALL_HINT);
      });
    });
  } else {
    describe.skip(`${title} — skipped: ${INSTALL_HINT}`, () => {
      it('SoftHSM2 absent', () => undefined);
    });
  }
}

export interface TestToken {
  readonly dir: string;
  readonly conf: string;
  readonly label: string;
  readonly pin: string;
  readonly soPin: string;
  cleanup(): Promise<void>;
}

/**
 * Creates a token folder and config, points SOFTHSM2_CONF at it (before the
 * library is first loaded in this process) and initialises `labels` tokens.
 */
export async function createTokens(labels: readonly string[], pin = '246810'): Promise<TestToken[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-softhsm-'));
  const tokens = join(dir, 'tokens');
  await mkdir(tokens, { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`, { mode: 0o600 });
  process.env['SOFTHSM2_CONF'] = conf;
  const util = softhsmUtil()!;
  for (const label of labels) {
    execFileSync(util, ['--init-token', '--free', '--label', label, '--so-pin', '13579', '--pin', pin], { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'ignore' });
  }
  return labels.map((label) => ({ dir, conf, label, pin, soPin: '13579', cleanup: () => rm(dir, { recursive: true, force: true }) }));
}
