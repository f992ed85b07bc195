/**
 * deploy/ validated offline (issue #10): systemd units with systemd-analyze,
 * the compose file with docker-compose, the kustomize base with kubectl and
 * the Kubernetes schema (kubernetes-models), Prometheus configs and alert
 * rules with promtool (check + unit tests), the Grafana dashboard's queries
 * parsed by promtool, the metric names and labels of rules, rule tests and
 * dashboard checked against deploy/metrics.json (itself checked against the
 * processes' registries in metrics-contract.test.ts), and every process
 * config shipped in deploy/ through the real config resolvers.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { resolveKeyManagerConfig } from '@tessera/keymanager';
import { resolveNodeConfig } from '@tessera/node';
import {
  CONFIG_RESOLVERS,
  DEPLOY,
  ROOT,
  TARGET_LABELS,
  catalogEntryOf,
  catalogSeriesNames,
  configKeysRead,
  labelProblems,
  metricNamesIn,
  parseSeries,
  readCatalog,
  readDashboardQueries,
  withGrafanaVariablesResolved,
} from './deploy-assets.js';
import { TOOLS, describeWithTools, run } from './tools.js';

const REPO_BIN = path.join(ROOT, 'packages/cli/bin/tessera');
const catalog = readCatalog();
const knownSeries = catalogSeriesNames(catalog);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'tessera-deploy-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh folder under this file's scratch directory. */
function scratchDir(name: string): string {
  return mkdtempSync(path.join(scratch, `${name}-`));
}

// Config keys the deploy assets use before the process reads them; each names the work that adds it.
const PLANNED_CONFIG_KEYS: Readonly<Record<'node' | 'keymanager', readonly string[]>> = {
  node: [],
  keymanager: [],
};

/** Every key of a JSON value, recursively, except keys of free-form maps (peers.<id>). */
function jsonKeys(value: unknown, under = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => jsonKeys(v, under));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (under === 'peers' ? jsonKeys(v, '') : [k, ...jsonKeys(v, k)]));
}

/**
 * Resolves a deploy config through the real resolver, as the process would
 * (the deploy configs listen beyond loopback and opt in with allowNonLoopback).
 */
function resolveDeployConfig(kind: 'node' | 'keymanager', config: Record<string, unknown>, flags: Record<string, unknown>): void {
  if (kind === 'node') resolveNodeConfig(config, flags, '/');
  else resolveKeyManagerConfig(config, flags, '/');
}

function expectKnownConfigKeys(kind: 'node' | 'keymanager', config: unknown): void {
  const read = configKeysRead(CONFIG_RESOLVERS[kind]);
  const unknown = jsonKeys(config).filter((k) => !read.has(k) && !PLANNED_CONFIG_KEYS[kind].includes(k));
  expect(unknown, `${kind} config keys no resolver reads`).toEqual([]);
}

describe('process configs shipped in deploy/', () => {
  const compose = path.join(DEPLOY, 'compose/config');
  const kube = path.join(DEPLOY, 'kubernetes/base/config');
  const nodeConfigs = [...['n1.json', 'n2.json', 'n3.json'].map((f) => path.join(compose, f)), path.join(kube, 'node.json')];
  const kmConfigs = [path.join(compose, 'keymanager.json'), path.join(kube, 'keymanager.json')];

  it.each(nodeConfigs.map((f) => [path.relative(ROOT, f), f]))('%s resolves as a node config with known keys only', (_name, file) => {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expectKnownConfigKeys('node', config);
    resolveDeployConfig('node', config, config['id'] === undefined ? { id: 'tessera-node-0' } : {});
  });

  it.each(kmConfigs.map((f) => [path.relative(ROOT, f), f]))('%s resolves as a key-manager config with known keys only', (_name, file) => {
    const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expectKnownConfigKeys('keymanager', config);
    resolveDeployConfig('keymanager', config, config['id'] === undefined ? { id: 'tessera-keymanager-0' } : {});
  });

  it('the check refuses a config with a typo in a key', () => {
    expect(() => expectKnownConfigKeys('node', { dataDir: '/d', peerListn: '0.0.0.0:1' })).toThrow(/peerListn/);
  });
});

describeWithTools('systemd units', [TOOLS.systemdAnalyze], () => {
  const units = readdirSync(path.join(DEPLOY, 'systemd')).filter((f) => f.endsWith('.service'));

  /** A copy of the unit whose ExecStart runs the repository's bin/tessera. */
  function repoCopy(unit: string): string {
    const dir = scratchDir(`systemd-${unit}`);
    const text = readFileSync(path.join(DEPLOY, 'systemd', unit), 'utf8');
    expect(text).toContain('ExecStart=/opt/tessera/packages/cli/bin/tessera ');
    const copy = path.join(dir, unit);
    writeFileSync(copy, text.replaceAll('/opt/tessera/packages/cli/bin/tessera', REPO_BIN));
    return copy;
  }

  it('ships the node and key-manager units', () => {
    expect(units.sort()).toEqual(['tessera-keymanager.service', 'tessera-node.service']);
  });

  it.each(units)('%s passes systemd-analyze verify with no warning', (unit) => {
    const res = run('systemd-analyze', ['verify', '--man=no', repoCopy(unit)]);
    expect(res.stderr.trim()).toBe('');
    expect(res.status).toBe(0);
  });

  it.each(units)('%s keeps an exposure level of at most 2.0 (systemd-analyze security --offline)', (unit) => {
    const res = run('systemd-analyze', ['security', '--offline=true', '--no-pager', '--threshold=20', repoCopy(unit)]);
    expect(res.status, res.stdout.split('\n').filter((l) => l.includes('Overall exposure')).join('')).toBe(0);
  });

  it.each(units)('%s is hardened as deploy/README.md promises', (unit) => {
    const text = readFileSync(path.join(DEPLOY, 'systemd', unit), 'utf8');
    for (const line of [
      /^User=tessera/m,
      /^ProtectSystem=strict$/m,
      /^ProtectHome=yes$/m,
      /^PrivateTmp=yes$/m,
      /^NoNewPrivileges=yes$/m,
      /^CapabilityBoundingSet=$/m,
      /^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$/m,
      /^ReadWritePaths=\/var\/lib\//m,
      /^LimitNOFILE=\d+$/m,
      /^LimitCORE=0$/m,
      /^Restart=on-failure$/m,
      /^TimeoutStopSec=\d+$/m,
      /^ExecStart=\S+ (node|keymanager) start --config \/etc\/tessera\/\S+\.json$/m,
    ]) {
      expect(text).toMatch(line);
    }
  });

  it('verify fails on a unit whose ExecStart is missing (the check can fail)', () => {
    const copy = repoCopy('tessera-node.service');
    writeFileSync(copy, readFileSync(copy, 'utf8').replaceAll(REPO_BIN, path.join(scratch, 'no-such-tessera')));
    expect(run('systemd-analyze', ['verify', '--man=no', copy]).status).not.toBe(0);
  });
});

describeWithTools('docker compose', [TOOLS.dockerCompose], () => {
  const file = path.join(DEPLOY, 'compose/docker-compose.yml');

  it('docker-compose config -q accepts the compose file', () => {
    const res = run('docker-compose', ['-f', file, 'config', '-q']);
    expect(res.stderr.trim()).toBe('');
    expect(res.status).toBe(0);
  });

  it('runs a key manager, three nodes and Prometheus, certificates from a one-shot init', () => {
    const res = run('docker-compose', ['-f', file, 'config', '--services']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n').sort()).toEqual(['init', 'km1', 'n1', 'n2', 'n3', 'prometheus', 'register']);
  });

  it('the Dockerfile builds on node:20-bookworm-slim with npm ci and runs as a non-root user', () => {
    const text = readFileSync(path.join(DEPLOY, 'compose/Dockerfile'), 'utf8');
    expect(text.match(/^FROM node:20-bookworm-slim\b/gm)?.length).toBe(2);
    expect(text).toMatch(/^RUN npm ci\b/m);
    expect(text).toMatch(/^USER 10001:10001$/m);
  });

  it('rejects a broken compose file (the check can fail)', () => {
    const dir = scratchDir('compose-broken');
    const broken = path.join(dir, 'docker-compose.yml');
    writeFileSync(broken, readFileSync(file, 'utf8').replace('condition: service_completed_successfully', 'condition: when_it_feels_like_it'));
    expect(run('docker-compose', ['-f', broken, 'config', '-q']).status).not.toBe(0);
  });
});

// --- Kubernetes ---------------------------------------------------------------

interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

const MODELS: Record<string, (o: K8sObject) => { validate(): void }> = {
  'v1/Namespace': (o) => new coreV1.Namespace(o as never),
  'v1/Service': (o) => new coreV1.Service(o as never),
  'v1/ConfigMap': (o) => new coreV1.ConfigMap(o as never),
  'apps/v1/StatefulSet': (o) => new appsV1.StatefulSet(o as never),
  'policy/v1/PodDisruptionBudget': (o) => new policyV1.PodDisruptionBudget(o as never),
};

function renderKustomize(dir: string): K8sObject[] {
  const rendered = run('kubectl', ['kustomize', dir]);
  expect(rendered.stderr.trim()).toBe('');
  expect(rendered.status).toBe(0);
  const json = run('python3', ['-c', 'import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)'], { input: rendered.stdout });
  expect(json.status, json.stderr).toBe(0);
  return JSON.parse(json.stdout) as K8sObject[];
}

interface Container {
  name: string;
  readinessProbe?: { httpGet?: { path: string; scheme?: string } };
  livenessProbe?: { httpGet?: { path: string }; exec?: { command: string[] } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string; subPathExpr?: string }[];
  ports?: { name: string; containerPort: number }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
}
interface StatefulSetSpec {
  serviceName: string;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { annotations?: Record<string, string> }; spec: PodSpec };
  volumeClaimTemplates?: { metadata: { name: string } }[];
}

describeWithTools('kubernetes kustomize base', [TOOLS.kubectl, TOOLS.pythonYaml], () => {
  let objects: K8sObject[] = [];
  beforeAll(() => {
    objects = renderKustomize(path.join(DEPLOY, 'kubernetes/base'));
  });
  const byKind = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
  const statefulSet = (name: string): StatefulSetSpec => {
    const found = byKind('StatefulSet').find((o) => o.metadata.name === name);
    expect(found, name).toBeDefined();
    return found!.spec as unknown as StatefulSetSpec;
  };

  it('renders only kinds the schema check knows, each valid against the Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      const model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(model, `${o.apiVersion}/${o.kind}`).toBeDefined();
      expect(() => model!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check refuses an invalid StatefulSet (the check can fail)', () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    const broken = JSON.parse(JSON.stringify(sts)) as { spec: { replicas: unknown } };
    broken.spec.replicas = 'three';
    expect(() => MODELS['apps/v1/StatefulSet']!(broken as unknown as K8sObject).validate()).toThrow(/replicas/);
  });

  it('has StatefulSets for nodes and key managers, each with a headless Service and a PodDisruptionBudget', () => {
    for (const name of ['tessera-node', 'tessera-keymanager']) {
      const sts = statefulSet(name);
      const svc = byKind('Service').find((o) => o.metadata.name === sts.serviceName);
      expect(svc?.spec?.['clusterIP']).toBe('None');
      expect(svc?.spec?.['publishNotReadyAddresses']).toBe(true);
      const pdb = byKind('PodDisruptionBudget').find((o) => o.metadata.name === name);
      expect((pdb?.spec?.['selector'] as { matchLabels: unknown } | undefined)?.matchLabels).toEqual(sts.selector.matchLabels);
    }
  });

  it('gives every node device its own PVC, mounted where the node config puts the device', () => {
    const sts = statefulSet('tessera-node');
    const config = byKind('ConfigMap').find((o) => o.metadata.name.startsWith('tessera-node-config'));
    const nodeJson = JSON.parse(config!.data!['node.json']!) as { devices: { id: string; path: string }[]; dataDir: string };
    const mounts = sts.template.spec.containers.find((c) => c.name === 'node')!.volumeMounts!;
    const claims = new Set((sts.volumeClaimTemplates ?? []).map((c) => c.metadata.name));
    expect(nodeJson.devices.length).toBeGreaterThanOrEqual(1);
    for (const device of nodeJson.devices) {
      const mount = mounts.find((m) => m.mountPath === device.path);
      expect(mount, device.path).toBeDefined();
      expect(claims.has(mount!.name), `PVC for ${device.id}`).toBe(true);
    }
    const dataMount = mounts.find((m) => m.mountPath === nodeJson.dataDir);
    expect(dataMount !== undefined && claims.has(dataMount.name)).toBe(true);
    // One claim per device plus the data dir: no two devices share a volume.
    expect(claims.size).toBe(nodeJson.devices.length + 1);
  });

  it('probes /readyz for readiness and /healthz for liveness; scraped over TLS; non-root; certificates from Secrets', () => {
    for (const name of ['tessera-node', 'tessera-keymanager']) {
      const sts = statefulSet(name);
      const main = sts.template.spec.containers[0]!;
      expect(main.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(main.readinessProbe?.httpGet?.scheme).toBe('HTTPS');
      expect(JSON.stringify(main.livenessProbe)).toContain('/healthz');
      const annotations = sts.template.metadata.annotations ?? {};
      expect(annotations['prometheus.io/scheme']).toBe('https');
      expect(sts.template.spec.containers.some((c) => c.ports?.some((p) => p.name === 'metrics-tls' && String(p.containerPort) === annotations['prometheus.io/port']))).toBe(true);
      expect(sts.template.spec.securityContext?.runAsNonRoot).toBe(true);
      for (const c of sts.template.spec.containers) {
        expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, c.name).toBe(true);
        expect(c.securityContext?.capabilities?.drop, c.name).toEqual(['ALL']);
      }
      const secrets = (sts.template.spec.volumes ?? []).filter((v) => v.secret !== undefined).map((v) => v.secret!.secretName);
      expect(secrets).toContain('tessera-ca');
      expect(secrets.some((s) => s.endsWith('-tls'))).toBe(true);
      // Each pod sees only its own key.
      const tlsMount = main.volumeMounts!.find((m) => m.mountPath === '/etc/tessera/tls');
      expect(tlsMount?.subPathExpr).toBe('$(POD_NAME)');
    }
  });

  it('never mounts the cluster CA key', () => {
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/ca\.key/);
  });

  it('ships configs the resolvers accept', () => {
    for (const [kind, prefix, key] of [
      ['node', 'tessera-node-config', 'node.json'],
      ['keymanager', 'tessera-keymanager-config', 'keymanager.json'],
    ] as const) {
      const cm = byKind('ConfigMap').find((o) => o.metadata.name.startsWith(prefix));
      const config = JSON.parse(cm!.data![key]!) as Record<string, unknown>;
      expectKnownConfigKeys(kind, config);
      resolveDeployConfig(kind, config, { id: `tessera-${kind}-0` });
    }
  });
});

// --- Prometheus ---------------------------------------------------------------

describeWithTools('prometheus configs and alert rules', [TOOLS.promtool], () => {
  const prom = path.join(DEPLOY, 'prometheus');
  const ruleFiles = readdirSync(path.join(prom, 'rules')).map((f) => path.join(prom, 'rules', f));

  it('promtool check rules accepts every rule file', () => {
    const res = run('promtool', ['check', 'rules', ...ruleFiles]);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it.each(['prometheus.yml', 'prometheus-kubernetes.yml'])('promtool check config accepts %s', (file) => {
    const res = run('promtool', ['check', 'config', file], { cwd: prom });
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it('promtool test rules passes the alert unit tests', () => {
    const tests = readdirSync(path.join(prom, 'tests')).map((f) => path.join(prom, 'tests', f));
    const res = run('promtool', ['test', 'rules', ...tests]);
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it('has an alert for each condition issue #10 names', () => {
    const text = ruleFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const alert of [
      'TesseraLeaderMissing',
      'TesseraQuorumLost',
      'TesseraDeviceFailed',
      'TesseraPoolCritical',
      'TesseraCrcFailuresRising',
      'TesseraKeyManagerUnreachable',
      'TesseraCertificateExpiringSoon',
    ]) {
      expect(text).toContain(`alert: ${alert}\n`);
    }
  });

  it('the unit tests catch a broken threshold (the check can fail)', () => {
    // Same layout as deploy/prometheus (the tests name ../rules/...), with one threshold moved.
    const dir = scratchDir('rules-mutated');
    const rulesDir = path.join(dir, 'rules');
    const testsDir = path.join(dir, 'tests');
    mkdirSync(rulesDir);
    mkdirSync(testsDir);
    for (const f of readdirSync(path.join(prom, 'rules'))) copyFileSync(path.join(prom, 'rules', f), path.join(rulesDir, f));
    for (const f of readdirSync(path.join(prom, 'tests'))) copyFileSync(path.join(prom, 'tests', f), path.join(testsDir, f));
    const alerts = path.join(rulesDir, 'tessera-alerts.yml');
    writeFileSync(alerts, readFileSync(alerts, 'utf8').replace('tessera:storage_used:ratio >= 0.85\n', 'tessera:storage_used:ratio >= 0.95\n'));
    const res = run('promtool', ['test', 'rules', ...readdirSync(testsDir).map((f) => path.join(testsDir, f))]);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toContain('TesseraPoolCritical');
  });

  it('names only catalogued metrics in rules', () => {
    for (const f of ruleFiles) {
      const unknown = metricNamesIn(readFileSync(f, 'utf8')).filter((n) => !knownSeries.has(n));
      expect(unknown, path.basename(f)).toEqual([]);
    }
  });
});

// --- Grafana ---------------------------------------------------------------------

describeWithTools('grafana dashboard', [TOOLS.promtool], () => {
  const dashboards = readdirSync(path.join(DEPLOY, 'grafana')).filter((f) => f.endsWith('.json'));

  it.each(dashboards)('%s: promtool parses every query (as recording rules, offline)', (file) => {
    const queries = readDashboardQueries(path.join(DEPLOY, 'grafana', file));
    expect(queries.length).toBeGreaterThan(0);
    // One recording rule per query: `promtool check rules` parses each PromQL expression without a server.
    const rules = {
      groups: [{ name: 'dashboard', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: withGrafanaVariablesResolved(q.expr) })) }],
    };
    const dir = scratchDir(`grafana-${file}`);
    const rulesFile = path.join(dir, 'dashboard-rules.json');
    writeFileSync(rulesFile, JSON.stringify(rules, null, 2)); // JSON is YAML
    const res = run('promtool', ['check', 'rules', rulesFile]);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it('the parse check refuses a malformed query (the check can fail)', () => {
    const dir = scratchDir('grafana-broken');
    const rulesFile = path.join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y', expr: 'sum(rate(tessera_data_chunks_read_total[5m])' }] }] }));
    expect(run('promtool', ['check', 'rules', rulesFile]).status).not.toBe(0);
  });

  it.each(dashboards)('%s names only catalogued metrics and no tenant', (file) => {
    for (const q of readDashboardQueries(path.join(DEPLOY, 'grafana', file))) {
      const unknown = metricNamesIn(q.expr).filter((n) => !knownSeries.has(n));
      expect(unknown, q.panel).toEqual([]);
      expect(q.expr, q.panel).not.toMatch(/tenant/i);
    }
  });
});

// --- metric names and labels against the catalog --------------------------------------

interface RuleJson {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
interface RuleGroupJson {
  readonly name: string;
  readonly rules: readonly RuleJson[];
}
interface RuleTestJson {
  readonly tests: readonly {
    readonly name: string;
    readonly input_series?: readonly { series: string }[];
    readonly promql_expr_test?: readonly { expr: string }[];
  }[];
}

function yamlFile<T>(file: string): T {
  const res = run('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: readFileSync(file, 'utf8') });
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

describeWithTools('metric names and labels in rules, rule tests and the dashboard', [TOOLS.pythonYaml], () => {
  const prom = path.join(DEPLOY, 'prometheus');
  let parsedGroups: RuleGroupJson[] | undefined;
  const groups = (): RuleGroupJson[] =>
    (parsedGroups ??= readdirSync(path.join(prom, 'rules')).flatMap((f) => yamlFile<{ groups: RuleGroupJson[] }>(path.join(prom, 'rules', f)).groups));
  const planned = new Set(catalog.filter((m) => m.status === 'planned').map((m) => m.name));
  const recorded = (): Set<string> => new Set(groups().flatMap((g) => g.rules.flatMap((r) => (r.record === undefined ? [] : [r.record]))));

  it('every rule uses only labels its metrics carry, in matchers, groupings and annotations', () => {
    for (const g of groups()) {
      for (const r of g.rules) {
        const templates = [...Object.values(r.annotations ?? {}), ...Object.values(r.labels ?? {})];
        expect(labelProblems(catalog, r.expr, templates), r.alert ?? r.record).toEqual([]);
      }
    }
  });

  it('rules that need a planned metric sit in a *.planned group, named by its neededBy, and no other rule does', () => {
    const needing = new Map<string, string[]>();
    for (const g of groups()) {
      for (const r of g.rules) {
        const names = metricNamesIn(r.expr).filter((n) => planned.has(n));
        expect(g.name.endsWith('.planned'), `${r.alert ?? r.record} in group ${g.name}`).toBe(names.length > 0);
        for (const n of names) needing.set(n, [...(needing.get(n) ?? []), r.alert ?? r.record ?? '']);
      }
    }
    for (const m of catalog.filter((c) => c.status === 'planned')) expect([...(needing.get(m.name) ?? [])].sort(), m.name).toEqual([...(m.neededBy ?? [])].sort());
  });

  it('every tessera_ input series of the rule tests carries exactly its catalogued labels plus job and instance', () => {
    for (const file of readdirSync(path.join(prom, 'tests'))) {
      const suite = yamlFile<RuleTestJson>(path.join(prom, 'tests', file));
      for (const t of suite.tests) {
        for (const { series } of t.input_series ?? []) {
          const { name, labels } = parseSeries(series);
          if (!name.startsWith('tessera_')) continue;
          const entry = catalogEntryOf(catalog, name);
          expect(entry, `${t.name}: ${name}`).toBeDefined();
          expect([...labels].sort(), `${t.name}: ${series}`).toEqual([...entry!.labels, ...TARGET_LABELS].sort());
        }
        for (const { expr } of t.promql_expr_test ?? []) expect(labelProblems(catalog, expr), `${t.name}: ${expr}`).toEqual([]);
      }
    }
  });

  it.each(readdirSync(path.join(DEPLOY, 'grafana')).filter((f) => f.endsWith('.json')))(
    '%s: every query uses only emitted metrics, labels they carry (legends included) and recorded rule names',
    (file) => {
      const rules = recorded();
      for (const q of readDashboardQueries(path.join(DEPLOY, 'grafana', file))) {
        expect(labelProblems(catalog, q.expr, [q.legend]), q.panel).toEqual([]);
        expect(metricNamesIn(q.expr).filter((n) => planned.has(n)), q.panel).toEqual([]);
        for (const r of q.expr.match(/\btessera:[a-z0-9_:]+/g) ?? []) expect(rules.has(r), `${q.panel}: ${r}`).toBe(true);
      }
    },
  );

  it('the label checks catch a wrong label, a grouping no metric carries, a stray legend and a mislabelled test series (the checks can fail)', () => {
    expect(labelProblems(catalog, 'tessera_node_event_loop_lag_seconds{quantile="0.99"} > 0.1')).toEqual(['tessera_node_event_loop_lag_seconds: no label quantile']);
    expect(labelProblems(catalog, 'sum by (pool) (tessera_storage_device_used_bytes)')).toEqual(['grouping by pool: no metric of the expression carries it']);
    expect(labelProblems(catalog, 'tessera_raft_term', ['{{quantile}}'])).toEqual(['template names quantile: no metric of the expression carries it']);
    expect(labelProblems(catalog, 'tessera_raft_voters')).toEqual(['tessera_raft_voters: not in deploy/metrics.json']);
    // Label values never count, even when they look like matchers.
    expect(labelProblems(catalog, 'tessera_raft_members{role="voter", group=~"pool=x|a"}')).toEqual([]);
    expect(parseSeries('tessera_storage_device_state{job="tessera-node", instance="n1", device="d1", pool="default", state="failed"}').labels).toContain('pool');
  });
});

// --- the metric catalog ------------------------------------------------------------

describe('metric catalog (deploy/metrics.json)', () => {
  it('follows tessera_<area>_<what>_<unit> and has no tenant-attributable label (O1)', () => {
    for (const m of catalog) {
      expect(m.name).toMatch(/^tessera_[a-z]+_[a-z0-9_]+$/);
      if (m.type === 'counter') expect(m.name, m.name).toMatch(/_total$/);
      for (const label of m.labels) expect(label, m.name).not.toMatch(/tenant|object|name|key_?tag|client/i);
    }
    expect(new Set(catalog.map((m) => m.name)).size).toBe(catalog.length);
  });

  it('deploy/README.md tables list every metric with its type, labels, processes and status, and nothing else', () => {
    const readme = readFileSync(path.join(DEPLOY, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(tessera_[a-z0-9_]+)` \| (\w+) \| ([^|]*) \| ([^|]*) \| (emitted|planned) \|/gm)].map((m) => ({
      name: m[1]!,
      type: m[2]!,
      labels: m[3]!.trim() === '—' ? '' : m[3]!.trim(),
      processes: m[4]!.trim(),
      status: m[5]!,
    }));
    const expected = catalog.map((m) => ({ name: m.name, type: m.type, labels: m.labels.join(', '), processes: m.processes.join(', '), status: m.status }));
    expect(rows).toEqual(expected);
  });
});
