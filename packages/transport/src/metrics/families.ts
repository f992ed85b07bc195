/**
 * The metrics plumbing every Tessera process shares (DESIGN section 8:
 * prom-client, names `tessera_<area>_<what>_<unit>`, no tenant-attributable
 * label: O1).
 *
 * A process keeps two registries: its own `tessera_*` families (lint-clean
 * with `promtool check metrics`) and prom-client's default process and
 * Node.js metrics (served too, but kept apart: they are known to trip
 * promtool's lint). `/metrics` serves both.
 *
 * Most families mirror in-process stats objects rather than being
 * incremented on hot paths: the stats stay plain fields, and each scrape
 * reads them. A mirrored counter only ever grows (a source that went back —
 * a component restarted — is ignored until it passes its old high-water mark).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One labelled value of a family. Label values must never name a tenant, object, key or chunk. */
export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export type SampleSource = () => number | readonly Sample[];
export type AsyncSampleSource = () => number | readonly Sample[] | Promise<number | readonly Sample[]>;

export interface FamilySpec<S> {
  /** Full metric name, `tessera_<area>_<what>_<unit>`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly read: S;
}

/** Latency buckets in seconds: 0.5 ms to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface RenderedMetrics {
  readonly contentType: string;
  readonly body: string;
}

export class ProcessMetrics {
  /** The process's own `tessera_*` families. */
  readonly registry = new Registry();
  private readonly defaults: Registry | undefined;

  constructor(options: { readonly defaults?: boolean } = {}) {
    if (options.defaults !== false) {
      this.defaults = new Registry();
      collectDefaultMetrics({ register: this.defaults });
    }
  }

  /** The whole exposition: our families, then the process defaults. */
  async render(): Promise<RenderedMetrics> {
    const own = await this.registry.metrics();
    const defaults = this.defaults === undefined ? '' : await this.defaults.metrics();
    return { contentType: this.registry.contentType, body: defaults === '' ? own : `${own}\n${defaults}` };
  }

  /** Our families alone (what `promtool check metrics` lints). */
  renderOwn(): Promise<string> {
    return this.registry.metrics();
  }
}

function samplesOf(v: number | readonly Sample[]): readonly Sample[] {
  return typeof v === 'number' ? [{ value: v }] : v;
}

function labelKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (labels === undefined) return '';
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/** A counter that mirrors a monotonic source, per label set. */
export function counterFrom(registry: Registry, spec: FamilySpec<SampleSource>): void {
  const seen = new Map<string, number>();
  new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
    collect() {
      for (const s of samplesOf(spec.read())) {
        const key = labelKey(s.labels);
        const before = seen.get(key);
        const delta = before === undefined ? Math.max(0, s.value) : s.value - before;
        // A new label set appears at its current value (0 included), so the series exists.
        if (before === undefined || delta > 0) {
          if (s.labels === undefined) this.inc(delta);
          else this.inc(s.labels, delta);
        }
        seen.set(key, Math.max(s.value, before ?? 0));
      }
    },
  });
}

/** A gauge read afresh on every scrape (label sets that vanished are dropped). */
export function gaugeFrom(registry: Registry, spec: FamilySpec<AsyncSampleSource>): void {
  new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
    async collect() {
      const samples = samplesOf(await spec.read());
      this.reset();
      for (const s of samples) {
        if (s.labels === undefined) this.set(s.value);
        else this.set(s.labels, s.value);
      }
    },
  });
}

/** What instrumented code needs of a histogram (seconds). */
export interface SecondsHistogram {
  observe(seconds: number): void;
  observe(labels: Readonly<Record<string, string>>, seconds: number): void;
}

export function latencyHistogram(registry: Registry, spec: Omit<FamilySpec<unknown>, 'read'> & { readonly buckets?: readonly number[] }): SecondsHistogram {
  const h = new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    buckets: [...(spec.buckets ?? LATENCY_BUCKETS)],
    registers: [registry],
  });
  return {
    observe(a: number | Readonly<Record<string, string>>, b?: number): void {
      if (typeof a === 'number') h.observe(a);
      else h.observe(a, b ?? 0);
    },
  };
}
