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
  /** The processes that serve it (job tessera-node: node; tessera-keymanager: keymanager). */
  readonly processes: readonly ('node' | 'keymanager')[];
  readonly status: 'emitted' | 'planned';
  readonly help: string;
  /** planned only: the alerts that need it. */
  readonly neededBy?: readonly string[];
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

/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];

const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const SELECTOR = /\b(tessera_[a-z0-9_]+)\s*\{([^}]*)\}/g;
const MATCHER_LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g;
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;

/** The catalog entry a series name stands for (`x_bucket` of histogram `x` included). */
export function catalogEntryOf(catalog: readonly CatalogMetric[], series: string): CatalogMetric | undefined {
  return catalog.find((m) => m.name === series || (m.type === 'histogram' && ['_bucket', '_sum', '_count'].some((s) => m.name + s === series)));
}

/** Labels a series of this name carries once scraped (`le` on histogram buckets). */
export function scrapedLabels(catalog: readonly CatalogMetric[], series: string): Set<string> | undefined {
  const entry = catalogEntryOf(catalog, series);
  if (entry === undefined) return undefined;
  return new Set([...entry.labels, ...TARGET_LABELS, ...(series.endsWith('_bucket') ? ['le'] : [])]);
}

/**
 * Label names a PromQL expression (and the templates shown with it: legend,
 * annotations) uses that the metrics it names cannot carry: matchers on a
 * tessera_ metric must be that metric's labels; by/without/on/ignoring/
 * group_* lists and `{{ label }}` / `$labels.label` templates must be labels
 * of some metric the expression names. Lexical on purpose (no PromQL parser
 * offline); quoted strings are blanked first so label values never count.
 */
export function labelProblems(catalog: readonly CatalogMetric[], expr: string, templates: readonly string[] = []): string[] {
  const problems: string[] = [];
  const bare = expr.replace(QUOTED, '""');
  const available = new Set<string>(TARGET_LABELS);
  for (const name of metricNamesIn(bare)) {
    const labels = scrapedLabels(catalog, name);
    if (labels === undefined) problems.push(`${name}: not in deploy/metrics.json`);
    else for (const l of labels) available.add(l);
  }
  for (const m of bare.matchAll(SELECTOR)) {
    const labels = scrapedLabels(catalog, m[1]!);
    if (labels === undefined) continue;
    for (const l of m[2]!.matchAll(MATCHER_LABEL)) if (!labels.has(l[1]!)) problems.push(`${m[1]!}: no label ${l[1]!}`);
  }
  for (const m of bare.matchAll(GROUPING)) {
    for (const l of m[1]!.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
      if (!available.has(l)) problems.push(`grouping by ${l}: no metric of the expression carries it`);
    }
  }
  for (const t of templates) {
    for (const m of t.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}|\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
      const l = m[1] ?? m[2]!;
      if (!available.has(l)) problems.push(`template names ${l}: no metric of the expression carries it`);
    }
  }
  return problems;
}

/** A series selector with literal labels (`name{a="b", ...}`, as in promtool input_series). */
export function parseSeries(series: string): { readonly name: string; readonly labels: readonly string[] } {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/.exec(series);
  if (m === null) throw new Error(`not a series: ${series}`);
  const labels = [...(m[2] ?? '').replace(QUOTED, '""').matchAll(MATCHER_LABEL)].map((l) => l[1]!);
  return { name: m[1]!, labels };
}

export interface DashboardQuery {
  readonly panel: string;
  readonly expr: string;
  readonly legend: string;
}

interface DashboardJson {
  readonly panels: readonly { title: string; targets?: readonly { expr?: string; legendFormat?: string }[] }[];
  readonly templating?: { list: readonly { query?: unknown }[] };
}

export function readDashboardQueries(file: string): DashboardQuery[] {
  const dash = JSON.parse(readFileSync(file, 'utf8')) as DashboardJson;
  const out: DashboardQuery[] = [];
  for (const p of dash.panels) for (const t of p.targets ?? []) if (t.expr !== undefined) out.push({ panel: p.title, expr: t.expr, legend: t.legendFormat ?? '' });
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
