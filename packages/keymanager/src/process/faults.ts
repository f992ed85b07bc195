/**
 * Test-only crash points (DESIGN section 4: compiled in, inert unless set).
 * With TESSERA_KM_TEST_FAULTS=1, reaching a named step while the file
 * `<data dir>/fault` names that step removes the file and kills this process
 * with SIGKILL — how the integration tests take a key-manager leader down
 * in the middle of a KEK rotation (after the KEK object exists in the
 * token, or after the rotation committed but before the caller heard).
 * One-shot and per member: the test arms exactly the leader it means.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@tessera/common';

export const TEST_FAULTS_ENV = 'TESSERA_KM_TEST_FAULTS';
export const FAULT_FILE = 'fault';

export type FaultHook = (step: string, tenant: string) => Promise<void>;

export function testFaultHook(dataDir: string, logger: Logger): FaultHook | undefined {
  if (process.env[TEST_FAULTS_ENV] !== '1') return undefined;
  const file = path.join(dataDir, FAULT_FILE);
  return async (step) => {
    let armed: string;
    try {
      armed = (await readFile(file, 'utf8')).trim();
    } catch {
      return;
    }
    if (armed !== step) return;
    await rm(file, { force: true });
    logger.warn('test fault: crashing', { step });
    process.kill(process.pid, 'SIGKILL');
    // SIGKILL is not delivered synchronously everywhere: never resume the operation.
    await new Promise<never>(() => undefined);
  };
}
