/** Runs the CLI: parse, execute, map every outcome to an exit code. */
import { buildProgram } from './program.js';
import { EXIT_OK, classify } from './exit.js';
import { PROCESS_IO } from './io.js';
import type { CliIo } from './io.js';

/** Runs `tessera <args>`; resolves to the exit code (never exits the process). */
export async function runCli(args: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const program = buildProgram(io);
  const json = args.some((a, i) => (a === '-o' || a === '--output') && args[i + 1] === 'json') || args.includes('--output=json');
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    const failure = classify(err);
    if (failure.line !== undefined) {
      io.stderr.write(
        json ? JSON.stringify({ error: { code: failure.code, message: failure.line } }) + '\n' : `tessera: ${failure.line}\n`,
      );
    }
    return failure.exitCode;
  }
}

export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}
