/**
 * Runs a started Tessera process (storage node, key manager) until it is
 * told to stop:
 *  - prints one JSON line `{"event":"ready", ...ports}` on stdout;
 *  - SIGTERM / SIGINT: clean shutdown, exit code 0;
 *  - SIGUSR2 with TESSERA_CRASHSIM=1: simulated power loss (un-synced writes
 *    dropped), then the process kills itself with SIGKILL, as a crash would
 *    end it; without TESSERA_CRASHSIM the signal is ignored (logged);
 *  - a Raft node that stops on its own (storage failure) ends the process
 *    with exit code 1.
 *
 * With TESSERA_STOP_ON_STDIN_CLOSE=1 (set by @tessera/launcher, which keeps
 * a pipe to the process's stdin open) it also stops cleanly when stdin
 * closes: a launcher that dies without stopping its processes (a test
 * runner killed mid-run) leaves no orphans behind.
 */
import type { Logger } from '@tessera/common';
import { crashSimEnabled } from '@tessera/raft';

export const STOP_ON_STDIN_CLOSE_ENV = 'TESSERA_STOP_ON_STDIN_CLOSE';

export interface RunIo {
  readonly stdout: { write(text: string): unknown };
}

/** What the run loop needs of a started process. */
export interface RunnableProcess {
  readonly logger: Logger;
  /** The ready line's fields (the ports file's content). */
  readonly ports: object;
  /** True once Raft stopped on its own (a failure). */
  raftStopped(): boolean;
  raftFailureCode(): string | undefined;
  stop(): Promise<void>;
  /** Power-loss simulation; the run loop then SIGKILLs the process. */
  powerLoss(): Promise<void>;
}

/** Resolves with the process exit code once the process has stopped. */
export function runUntilStopped(proc: RunnableProcess, io: RunIo, what = 'process'): Promise<number> {
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
      proc.logger.info(`${what} stopping`, { reason: why });
      proc.stop().then(
        () => resolve(code),
        () => resolve(1),
      );
    };
    const onTerm = (): void => finish(0, 'SIGTERM');
    const onInt = (): void => finish(0, 'SIGINT');
    const onCrash = (): void => {
      if (!crashSimEnabled()) {
        proc.logger.warn('SIGUSR2 ignored: power-loss simulation needs TESSERA_CRASHSIM=1');
        return;
      }
      done = true;
      clearInterval(watchdog);
      // The power is going: work still in flight now fails on closed stores and sockets (an apply
      // writing to the state-machine store, a shard write). Those failures must not end the process
      // with an ordinary crash first (exit 1): it ends the way power loss ends it, by SIGKILL.
      const ignore = (): void => undefined;
      process.on('uncaughtException', ignore);
      process.on('unhandledRejection', ignore);
      void proc.powerLoss().finally(() => process.kill(process.pid, 'SIGKILL'));
    };
    const watchdog = setInterval(() => {
      if (proc.raftStopped()) {
        proc.logger.error('raft stopped on its own', { code: proc.raftFailureCode() ?? 'unknown' });
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
    // Announced only once every signal has its handler: a launcher may signal the moment it reads this line.
    io.stdout.write(JSON.stringify({ event: 'ready', ...proc.ports }) + '\n');
  });
}
