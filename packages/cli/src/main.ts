/** Runs the CLI: parse, execute, map every outcome to an exit code. */
import { buildProgram } from './program.js';
import { CONFIG_ENV, loadConnectionConfig, runWithConfig, type ConnectionConfig } from './config-file.js';
import { EXIT_OK, classify, debugDetails } from './exit.js';
import { splitGlobalArgs } from './global-args.js';
import { applyHeapTuning } from './heap-tuning.js';
import { PROCESS_IO } from './io.js';
import type { CliIo } from './io.js';

export interface RunCliOptions {
  /** `process`: this is the process's only command (see runWithConfig). Default `call`. */
  readonly configScope?: 'call' | 'process';
}

/** Runs `tessera <args>`; resolves to the exit code (never exits the process). */
export async function runCli(args: readonly string[], io: CliIo = PROCESS_IO, options: RunCliOptions = {}): Promise<number> {
  const global = splitGlobalArgs(args);
  const program = buildProgram(io);
  try {
    const configFile = global.configFile ?? process.env[CONFIG_ENV];
    const config: ConnectionConfig = configFile !== undefined && configFile !== '' ? await loadConnectionConfig(configFile) : {};
    await runWithConfig(config, () => program.parseAsync([...global.args], { from: 'user' }), options.configScope ?? 'call');
    return EXIT_OK;
  } catch (err) {
    const failure = classify(err);
    if (failure.line !== undefined) {
      io.stderr.write(
        global.json ? JSON.stringify({ error: { code: failure.code, message: failure.line } }) + '\n' : `tessera: ${failure.line}\n`,
      );
    }
    if (global.debug) io.stderr.write(debugDetails(err));
    return failure.exitCode;
  }
}

export async function main(): Promise<void> {
  try {
    applyHeapTuning();
  } catch (err) {
    const failure = classify(err);
    PROCESS_IO.stderr.write(`tessera: ${failure.line ?? failure.code}\n`);
    process.exitCode = failure.exitCode;
    return;
  }
  // `tessera … | head`: a reader that went away is not a failure worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await runCli(process.argv.slice(2), PROCESS_IO, { configScope: 'process' });
}
