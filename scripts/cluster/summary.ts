/** What local-cluster prints once the cluster is ready: endpoints, metrics, certificates, example commands. */
import path from 'node:path';
import type { ClusterState } from './state.js';
import { SAMPLE_FILE } from './state.js';

/** A path as the user would type it: relative to the working directory when inside it. */
export function shown(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `npx tessera` inside the repository (npm links the workspace's bin); the bin's path elsewhere. */
export function tesseraCommand(repoRoot: string, cwd = process.cwd()): string {
  const rel = path.relative(repoRoot, cwd);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return inside ? 'npx tessera' : path.join(repoRoot, 'packages', 'cli', 'bin', 'tessera');
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => '  ' + r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function renderSummary(state: ClusterState, repoRoot: string, dataFlag: string): string {
  const rows: string[][] = [['process', 'pid', 'client (data, admin)', 'peer (raft)', 'http (/metrics /healthz /readyz)']];
  for (const p of state.processes) {
    const http = p.ports.httpAddress !== undefined ? `http://${p.ports.httpAddress}` : '-';
    if (p.kind === 'keymanager') rows.push([p.id, String(p.pid ?? '-'), `${p.ports.clientAddress} (keys port)`, '-', http]);
    else rows.push([p.id, String(p.pid ?? '-'), p.ports.clientAddress, p.ports.peerAddress, http]);
  }
  const metrics = state.processes.filter((p) => p.ports.httpAddress !== undefined).map((p) => `  ${p.id.padEnd(4)} http://${p.ports.httpAddress!}/metrics`);
  const cli = tesseraCommand(repoRoot);
  const config = shown(state.configFile);
  const sample = shown(path.join(state.root, SAMPLE_FILE));
  const tenant = state.tenant;
  const lines = [
    `Tessera local cluster ready${state.readyMs !== undefined ? ` in ${(state.readyMs / 1000).toFixed(1)} s` : ''} (data: ${shown(state.root)})`,
    '',
    'Endpoints (loopback only):',
    ...table(rows),
    '',
    'Metrics:',
    ...(metrics.length > 0 ? metrics : ['  (none)']),
    '',
    'Certificates:',
    `  cluster CA           ${shown(state.ca)}  (CRL ${shown(state.crl)})`,
    `  cluster admin        ${shown(state.admin.cert)}  (key ${shown(state.admin.key)})`,
    ...(tenant !== undefined
      ? [
          `  tenant ${tenant.id} CA       ${shown(tenant.caCert)}`,
          `  tenant ${tenant.id} admin    ${shown(tenant.admin.cert)}  (key ${shown(tenant.admin.key)})`,
          `  tenant ${tenant.id} client   ${shown(tenant.client.cert)}  (key ${shown(tenant.client.key)})`,
        ]
      : []),
    `  CLI config           ${config}  (admin verbs as the cluster admin; put/get/ls as ${tenant?.id ?? 'the tenant'}'s client)`,
    '',
    'Try:',
    `  ${cli} --config ${config} put ${sample} hello.txt`,
    `  ${cli} --config ${config} get hello.txt -`,
    `  ${cli} --config ${config} ls`,
    '',
    `Status and stop from another terminal: scripts/local-cluster status ${dataFlag}   scripts/local-cluster stop ${dataFlag}`,
  ];
  return lines.join('\n') + '\n';
}
