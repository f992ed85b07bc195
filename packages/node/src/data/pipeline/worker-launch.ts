/**
 * Where the worker script is and how to start it, in the three ways this
 * module runs:
 *
 * 1. built (`dist`): this module is `.js`, `worker.js` sits next to it, and
 *    the worker inherits the process's execArgv.
 * 2. sources under tsx (`node --conditions=development --import tsx`, as the
 *    `tessera` CLI runs them) and
 * 3. vitest (which transforms TypeScript in-process, so its execArgv has no
 *    TS loader at all): this module is `.ts`.
 *
 * In 2 and 3 a `.ts` worker entry cannot simply be started: on Node 20 the
 * module hooks that `--import tsx` registers do not reach a worker thread's
 * entry module (ERR_UNKNOWN_FILE_EXTENSION even when execArgv carries
 * `--import tsx`; measured on 20.20). So the worker starts from a one-line
 * JavaScript bootstrap (eval) that loads `worker.ts` through tsx's `tsImport`
 * API, which registers tsx for that import graph inside the worker; the
 * `development` condition is added to execArgv when missing, so workspace
 * packages resolve to their sources there as they do here.
 */

export interface WorkerLaunch {
  /** The worker entry (a file URL), or, with `eval`, bootstrap source code. */
  readonly script: URL | string;
  readonly eval: boolean;
  /** undefined: inherit process.execArgv (Node's default for workers). */
  readonly execArgv: readonly string[] | undefined;
}

/**
 * How to start a pipeline worker from a module at `moduleUrl` (a sibling of
 * worker.ts / worker.js); `resolve` resolves a package specifier from here.
 */
export function planWorkerLaunch(moduleUrl: string, execArgv: readonly string[], resolve: (specifier: string) => string): WorkerLaunch {
  if (!new URL(moduleUrl).pathname.endsWith('.ts')) return { script: new URL('./worker.js', moduleUrl), eval: false, execArgv: undefined };
  const entry = new URL('./worker.ts', moduleUrl).href;
  const tsxApi = resolve('tsx/esm/api');
  // Both URLs are JSON-quoted into the code: no path can break out of the string literal.
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  const args = [...execArgv];
  if (!hasDevelopmentCondition(args)) args.push('--conditions=development');
  return { script: bootstrap, eval: true, execArgv: args };
}

/** The launch for this process. */
export function workerLaunch(): WorkerLaunch {
  return planWorkerLaunch(import.meta.url, process.execArgv, (specifier) => import.meta.resolve(specifier));
}

/** The value of each `--flag value` / `--flag=value` occurrence among `names`. */
function flagValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    for (const name of names) {
      if (arg === name && i + 1 < args.length) values.push(args[i + 1]!);
      else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    }
  });
  return values;
}

function hasDevelopmentCondition(args: readonly string[]): boolean {
  return flagValues(args, ['--conditions', '-C']).includes('development');
}
