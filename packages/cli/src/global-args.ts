/**
 * Global options read before commander sees the arguments. `--config FILE`
 * must precede the command: `node start` and `keymanager start` have their
 * own `--config` (the process's config), so the connection config file is
 * taken only from the leading options, and commander never parses it.
 */
export interface GlobalArgs {
  /** The arguments for commander (the leading `--config` removed). */
  readonly args: readonly string[];
  /** `--config FILE` given before the command. */
  readonly configFile?: string;
  readonly debug: boolean;
  readonly json: boolean;
}

/** Leading program options that take a value (so the value is not mistaken for the command). */
const VALUE_OPTIONS = new Set(['-o', '--output', '--config']);

export function splitGlobalArgs(input: readonly string[]): GlobalArgs {
  const args: string[] = [];
  let configFile: string | undefined;
  let i = 0;
  for (; i < input.length; i++) {
    const arg = input[i]!;
    if (arg === '--' || !arg.startsWith('-')) break; // the command (or operands) from here on
    if (arg === '--config') {
      configFile = input[i + 1];
      i++;
      if (configFile === undefined) args.push(arg); // let commander report the missing value
      continue;
    }
    if (arg.startsWith('--config=')) {
      configFile = arg.slice('--config='.length);
      continue;
    }
    args.push(arg);
    if (VALUE_OPTIONS.has(arg) && i + 1 < input.length) args.push(input[++i]!);
  }
  args.push(...input.slice(i));
  const beforeLiteral = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  const json = beforeLiteral.some((a, j) => (a === '-o' || a === '--output') && beforeLiteral[j + 1] === 'json') || beforeLiteral.includes('--output=json') || beforeLiteral.includes('-ojson');
  return { args, ...(configFile !== undefined ? { configFile } : {}), debug: beforeLiteral.includes('--debug'), json };
}
