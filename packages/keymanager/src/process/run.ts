/**
 * Runs a key manager until it is told to stop (`tessera keymanager start`),
 * through the run loop every Tessera process shares (ready line on stdout,
 * SIGTERM/SIGINT, SIGUSR2 power loss under TESSERA_CRASHSIM=1, stop when
 * the launcher's stdin pipe closes).
 */
import { runUntilStopped, type RunIo } from '@tessera/transport';
import type { KeyManagerConfig } from './config.js';
import { startKeyManager, type StartKeyManagerOptions } from './keymanager.js';

/** Resolves with the process exit code once the key manager has stopped. */
export async function runKeyManager(config: KeyManagerConfig, io: RunIo, options: StartKeyManagerOptions = {}): Promise<number> {
  const km = await startKeyManager(config, options);
  return runUntilStopped(
    {
      logger: km.logger,
      ports: km.ports,
      raftStopped: () => km.raft.stopped,
      raftFailureCode: () => km.raft.failed?.code,
      stop: () => km.stop(),
      powerLoss: () => km.powerLoss(),
    },
    io,
    'key manager',
  );
}
