#!/usr/bin/env node
// `npm test`: type-check, then every vitest suite CI must run, one after the
// other, printing each suite's wall time (DESIGN section 9). Each suite writes
// a JSON report to .reports/<suite>.json; `scripts/test-summary.mjs` turns the
// reports into the closing `N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = join(root, '.reports');

// Suite name, CI budget in minutes (DESIGN section 9), and where its files live.
const SUITES = [
  { name: 'unit', budgetMin: 2, dirs: ['packages'], match: (f) => f.endsWith('.test.ts') && !f.endsWith('.sim.test.ts') },
  { name: 'simulator', budgetMin: 3, dirs: ['packages'], match: (f) => f.endsWith('.sim.test.ts') },
  { name: 'integration', budgetMin: 10, dirs: ['test/integration'], match: (f) => f.endsWith('.test.ts') },
  { name: 'security', budgetMin: 1, dirs: ['test/security'], match: (f) => f.endsWith('.test.ts') },
  { name: 'operations', budgetMin: 2, dirs: ['test/operations'], match: (f) => f.endsWith('.test.ts') },
  { name: 'chaos', budgetMin: 8, dirs: ['test/chaos'], match: (f) => f.endsWith('.test.ts') },
];

function hasFiles(dir, match) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return false;
  for (const entry of readdirSync(abs)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = join(abs, entry);
    if (statSync(p).isDirectory()) {
      if (hasFiles(join(dir, entry), match)) return true;
    } else if (match(entry)) return true;
  }
  return false;
}

function run(label, cmd, args) {
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, ok: res.status === 0, seconds };
}

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const results = [];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tsc = run('type-check', bin('tsc'), ['-b']);
results.push({ ...tsc, budgetMin: 1 });
console.log(`\n== type-check: ${tsc.ok ? 'ok' : 'FAILED'} in ${tsc.seconds.toFixed(1)} s`);

for (const suite of SUITES) {
  if (!suite.dirs.some((d) => hasFiles(d, suite.match))) {
    console.log(`== ${suite.name}: no test files yet`);
    continue;
  }
  console.log(`\n== ${suite.name}: running`);
  const r = run(suite.name, bin('vitest'), [
    'run',
    '--project',
    suite.name,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(reports, `${suite.name}.json`)}`,
  ]);
  results.push({ ...r, budgetMin: suite.budgetMin });
  console.log(`== ${suite.name}: ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(1)} s (budget ${suite.budgetMin} min)`);
}

console.log('\nSuite wall times:');
for (const r of results) {
  const over = r.seconds > r.budgetMin * 60 ? '  OVER BUDGET' : '';
  console.log(`  ${r.label.padEnd(12)} ${r.ok ? 'ok    ' : 'FAILED'} ${r.seconds.toFixed(1).padStart(7)} s  (budget ${r.budgetMin} min)${over}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
