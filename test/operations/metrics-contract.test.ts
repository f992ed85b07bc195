/**
 * deploy/metrics.json is the contract between the processes and deploy/
 * (alert rules, recording rules, the Grafana dashboard): it must list
 * exactly what the node's and the key manager's registries serve — name,
 * type, labels, help, which process — both ways. The registries are built
 * in-process with fake sources that move every family, so each family shows
 * every label a real scrape would. prom-client's process_* / nodejs_*
 * defaults are not part of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog, type CatalogMetric } from './deploy-assets.js';
import { buildRegistries, contractDifferences, type ProcessRegistry } from './metric-registries.js';

const catalog = readCatalog();
let registries: readonly ProcessRegistry[] = [];

beforeAll(async () => {
  registries = await buildRegistries();
});

describe('deploy/metrics.json matches the registries', () => {
  it('builds both processes, each with tessera_ families only, every family moved by the fakes', () => {
    expect(registries.map((r) => r.process)).toEqual(['node', 'keymanager']);
    for (const r of registries) {
      expect(r.families.length, r.process).toBeGreaterThan(0);
      for (const f of r.families) {
        expect(f.name, r.process).toMatch(/^tessera_/);
        // A family with no sample would hide its labels from the comparison.
        expect(f.samples, `${r.process} ${f.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('every emitted entry is served with exactly its type, labels and help by exactly the processes listed, and every served family is listed', () => {
    expect(contractDifferences(catalog, registries)).toEqual([]);
  });

  it('the comparison catches a wrong label, a missing name, an extra name and a planned name that is served (the check can fail)', () => {
    const lag = catalog.find((m) => m.name === 'tessera_node_event_loop_lag_seconds')!;
    const mutated: CatalogMetric[] = [
      ...catalog.filter((m) => m !== lag && m.name !== 'tessera_raft_members' && m.name !== 'tessera_keys_shreds_total'),
      { ...lag, labels: ['quantile'] },
      { ...catalog.find((m) => m.name === 'tessera_keys_shreds_total')!, status: 'planned' },
      { name: 'tessera_raft_voters', type: 'gauge', labels: [], processes: ['node'], status: 'emitted', help: 'x' },
    ];
    const differences = contractDifferences(mutated, registries);
    expect(differences).toContain('tessera_node_event_loop_lag_seconds: labels [quantile] in metrics.json, [percentile] served by node');
    expect(differences).toContain('tessera_raft_members (node): served but not in deploy/metrics.json');
    expect(differences).toContain('tessera_keys_shreds_total: served by keymanager but marked planned');
    expect(differences).toContain('tessera_raft_voters: metrics.json says served by [node], served by []');
  });

  it('keeps planned entries only for alerts that need them, each named', () => {
    for (const m of catalog.filter((c) => c.status === 'planned')) {
      expect(m.neededBy?.length ?? 0, m.name).toBeGreaterThan(0);
      expect(m.processes.length, m.name).toBeGreaterThan(0);
    }
    for (const m of catalog.filter((c) => c.status === 'emitted')) expect(m.neededBy, m.name).toBeUndefined();
  });
});
