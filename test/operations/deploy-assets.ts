/**
 * Readers for the deploy/ assets, shared by the operations tests: the metric
 * catalog, PromQL metric names, the Grafana dashboard's queries, the config
 * keys the process resolvers read.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEPLOY = path.join(ROOT, 'deploy');

export interface CatalogMetric {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labels: readonly string[];
  readonly status: 'emitted' | 'planned';
  readonly help: string;
}

export function readCatalog(): readonly CatalogMetric[] {
  const parsed = JSON.parse(readFileSync(path.join(DEPLOY, 'metrics.json'), 'utf8')) as { metrics: CatalogMetric[] };
  return parsed.metrics;
}

/** Every series name a catalog entry stands for (histograms expose _bucket, _sum, _count). */
export function catalogSeriesNames(catalog: readonly CatalogMetric[]): Set<string> {
  const names = new Set<string>();
  for (const m of catalog) {
    names.add(m.name);
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** `tessera_*` metric names a PromQL expression names (recording-rule names `tessera:*` are not metrics). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\btessera_[a-z0-9_]+/g) ?? [])];
}

export interface DashboardQuery {
  readonly panel: string;
  readonly expr: string;
}

interface DashboardJson {
  readonly panels: readonly { title: string; targets?: readonly { expr?: string }[] }[];
  readonly templating?: { list: readonly { query?: unknown }[] };
}

export function readDashboardQueries(file: string): DashboardQuery[] {
  const dash = JSON.parse(readFileSync(file, 'utf8')) as DashboardJson;
  const out: DashboardQuery[] = [];
  for (const p of dash.panels) for (const t of p.targets ?? []) if (t.expr !== undefined) out.push({ panel: p.title, expr: t.expr });
  return out;
}

/** Grafana's variables replaced by values PromQL accepts, so promtool can parse the query offline. */
export function withGrafanaVariablesResolved(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

/** Every .ts file under a folder (no node_modules, no dist). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The packages' production sources (packages/<name>/src/**). */
export function packageSources(): string[] {
  const packages = path.join(ROOT, 'packages');
  return readdirSync(packages)
    .map((name) => path.join(packages, name, 'src'))
    .filter((p) => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap((p) => sourceFiles(p));
}

/** The files that resolve process configuration (JSON config file + flags). */
export const CONFIG_RESOLVERS = {
  node: [path.join(ROOT, 'packages/node/src/process/config.ts'), path.join(ROOT, 'packages/transport/src/process/config-values.ts')],
  keymanager: [path.join(ROOT, 'packages/keymanager/src/process/config.ts'), path.join(ROOT, 'packages/transport/src/process/config-values.ts')],
} as const;

/**
 * Config-file keys a resolver reads: `x['key']` index reads and the TLS
 * file keys passed to `pick(flags.…, 'key')`. Lexical on purpose: a new key
 * read anywhere in the resolver shows up here without anyone listing it.
 */
export function configKeysRead(files: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/[\w)\]]\[['"]([A-Za-z][A-Za-z0-9]*)['"]\]/g)) keys.add(m[1]!);
    for (const m of text.matchAll(/pick\(flags\.\w+, ['"]([A-Za-z]+)['"]\)/g)) keys.add(m[1]!);
  }
  return keys;
}
