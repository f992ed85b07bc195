/**
 * Runs a node until it is told to stop (`tessera node start`):
 *  - prints one JSON line `{"event":"ready", ...ports}` on stdout once serving;
 *  - SIGTERM / SIGINT: clean shutdown, exit code 0;
 *  - SIGUSR2 with TESSERA_CRASHSIM=1: simulated power loss (un-synced writes
 *    dropped), then the process kills itself with SIGKILL, as a crash would
 *    end it; without TESSERA_CRASHSIM the signal is ignored (logged);
 *  - a Raft node that stops on its own (storage failure) ends the process
 *    with exit code 1.
 * Log lines are JSON on stderr.
 *
 * With TESSERA_STOP_ON_STDIN_CLOSE=1 (set by @tessera/launcher, which keeps
 * a pipe to the node's stdin open) the node also stops cleanly when stdin
 * closes: a launcher that dies without stopping its nodes (a test runner
 * killed mid-run) leaves no orphans behind.
 */
import { crashSimEnabled } from '@tessera/raft';

export const STOP_ON_STDIN_CLOSE_ENV = 'TESSERA_STOP_ON_STDIN_CLOSE';
import type { NodeConfig } from './config.js';
import { startNode, type StartNodeOptions } from './node.js';

export interface RunNodeIo {
  readonly stdout: { write(text: string): unknown };
}

/** Resolves with the process exit code once the node has stopped. */
export async function runNode(config: NodeConfig, io: RunNodeIo, options: StartNodeOptions = {}): Promise<number> {
  const node = await startNode(config, options);
  io.stdout.write(JSON.stringify({ event: 'ready', ...node.ports }) + '\n');
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number, why: string): void => {
      if (done) return;
      done = true;
      clearInterval(watchdog);
      process.removeListener('SIGTERM', onTerm);
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGUSR2', onCrash);
      if (watchStdin) process.stdin.destroy();
      node.logger.info('node stopping', { reason: why });
      node.stop().then(
        () => resolve(code),
        () => resolve(1),
      );
    };
    const onTerm = (): void => finish(0, 'SIGTERM');
    const onInt = (): void => finish(0, 'SIGINT');
    const onCrash = (): void => {
      if (!crashSimEnabled()) {
        node.logger.warn('SIGUSR2 ignored: power-loss simulation needs TESSERA_CRASHSIM=1');
        return;
      }
      done = true;
      clearInterval(watchdog);
      void node.powerLoss().finally(() => process.kill(process.pid, 'SIGKILL'));
    };
    const watchdog = setInterval(() => {
      if (node.raft.stopped) {
        node.logger.error('raft stopped on its own', { code: node.raft.failed?.code ?? 'unknown' });
        finish(1, 'raft failure');
      }
    }, 250);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    process.on('SIGUSR2', onCrash);
    const watchStdin = process.env[STOP_ON_STDIN_CLOSE_ENV] === '1';
    if (watchStdin) {
      process.stdin.on('data', () => undefined);
      process.stdin.once('end', () => finish(0, 'launcher gone (stdin closed)'));
      process.stdin.once('error', () => finish(0, 'launcher gone (stdin failed)'));
    }
  });
}
