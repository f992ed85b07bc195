/**
 * `npm run sim -w @tessera/raft -- [--seeds N] [--steps N] [--seed S] [--first S]
 *  [--nodes 3|5] [--profile NAME] [--mutate NAME] [--trace]`; `SEED=S` replays one seed.
 *
 * Exit status: 0 when every seed passed (or, with --mutate, when the planted
 * bug was caught), 1 otherwise. A failing seed prints its replay command.
 */
import { parseMutations } from '../mutate.js';
import { PROFILES, runSimulation, type SimProfile, type SimResult } from './simulation.js';

interface CliOptions {
  seeds: number;
  first: number;
  steps: number;
  nodes: number | undefined;
  mutate: string | undefined;
  trace: boolean;
  profile: SimProfile | undefined;
  single: number | undefined;
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const o: CliOptions = {
    seeds: 100,
    first: 1,
    steps: 2000,
    nodes: undefined,
    mutate: env['TESSERA_MUTATE'],
    trace: false,
    profile: undefined,
    single: env['SEED'] !== undefined && env['SEED'] !== '' ? Number(env['SEED']) : undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--seeds':
        o.seeds = Number(next());
        break;
      case '--first':
        o.first = Number(next());
        break;
      case '--steps':
        o.steps = Number(next());
        break;
      case '--seed':
        o.single = Number(next());
        break;
      case '--nodes':
        o.nodes = Number(next());
        break;
      case '--mutate':
        o.mutate = next();
        break;
      case '--profile': {
        const v = next();
        if (!(PROFILES as readonly string[]).includes(v)) throw new Error(`--profile must be one of ${PROFILES.join(', ')}`);
        o.profile = v as SimProfile;
        break;
      }
      case '--trace':
        o.trace = true;
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  for (const [k, v] of Object.entries({ seeds: o.seeds, first: o.first, steps: o.steps })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} must be a non-negative integer`);
  }
  if (o.single !== undefined && !Number.isInteger(o.single)) throw new Error('SEED/--seed must be an integer');
  return o;
}

function describe(r: SimResult): string {
  return `seed ${r.seed}: ${r.invariant ?? ''} at step ${r.failedAt ?? '?'}: ${r.error ?? ''}`;
}

function main(): number {
  const o = parseArgs(process.argv.slice(2), process.env);
  const mutations = parseMutations(o.mutate);
  const seeds = o.single !== undefined ? [o.single] : Array.from({ length: o.seeds }, (_, i) => o.first + i);
  const started = process.hrtime.bigint();
  let failures = 0;
  let totalSteps = 0;
  for (const seed of seeds) {
    const r = runSimulation({
      seed,
      steps: o.steps,
      mutations,
      trace: o.trace || o.single !== undefined,
      ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
      ...(o.profile !== undefined ? { profile: o.profile } : {}),
    });
    totalSteps += r.ok ? r.stats.steps : Math.min(r.failedAt ?? 0, o.steps);
    if (o.single !== undefined) {
      for (const e of r.events) console.log(e);
      console.log(JSON.stringify(r.stats));
    }
    if (!r.ok) {
      failures++;
      if (o.single === undefined) for (const e of r.events.slice(-60)) console.log(e);
      console.log(`FAIL ${describe(r)}`);
      console.log(
        `replay: SEED=${seed} npm run sim -w @tessera/raft -- --steps ${o.steps}` +
          `${o.nodes !== undefined ? ` --nodes ${o.nodes}` : ''}${o.profile !== undefined ? ` --profile ${o.profile}` : ''}` +
          `${o.mutate ? ` --mutate ${o.mutate}` : ''}`,
      );
      if (mutations.size > 0) break;
    }
  }
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${seeds.length} seed(s) x ${o.steps} steps: ${failures} failure(s) in ${secs.toFixed(1)} s (${Math.round(totalSteps / secs)} steps/s)`,
  );
  if (mutations.size > 0) {
    if (failures > 0) {
      console.log(`mutation ${[...mutations].join(',')} caught`);
      return 0;
    }
    console.log(`mutation ${[...mutations].join(',')} NOT caught`);
    return 1;
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = main();
