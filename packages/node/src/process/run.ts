/**
 * Runs a node until it is told to stop (`tessera node start`), through the
 * run loop every Tessera process shares (`runUntilStopped` in
 * @tessera/transport: ready line, SIGTERM/SIGINT, SIGUSR2 power loss under
 * TESSERA_CRASHSIM=1, stop when the launcher's stdin pipe closes).
 */
import { STOP_ON_STDIN_CLOSE_ENV, runUntilStopped } from '@tessera/transport';
import type { NodeConfig } from './config.js';
import { startNode, type StartNodeOptions } from './node.js';

export { STOP_ON_STDIN_CLOSE_ENV };

export interface RunNodeIo {
  readonly stdout: { write(text: string): unknown };
}

/** Resolves with the process exit code once the node has stopped. */
export async function runNode(config: NodeConfig, io: RunNodeIo, options: StartNodeOptions = {}): Promise<number> {
  const node = await startNode(config, options);
  return runUntilStopped(
    {
      logger: node.logger,
      ports: node.ports,
      raftStopped: () => node.raft.stopped,
      raftFailureCode: () => node.raft.failed?.code,
      stop: () => node.stop(),
      powerLoss: () => node.powerLoss(),
    },
    io,
    'node',
  );
}
