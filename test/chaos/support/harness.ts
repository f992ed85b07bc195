/**
 * One chaos cluster per test file: a run folder under the temp dir (kept
 * when something failed, removed otherwise), a tenant, and scenarios run on
 * it one after another, each printing its summary (ops, faults, verdict,
 * time) so CI logs carry the figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ChaosCluster, formatScenario, runMarker, runScenario, scanDisksForMarker, type FaultStep, type ScenarioResult, type TenantHandle, type WorkloadShape } from '@tessera/chaos';

export interface ChaosFile {
  readonly cluster: ChaosCluster;
  readonly tenant: TenantHandle;
  readonly runDir: string;
  readonly marker: string;
  readonly crashSim: boolean;
  failed: boolean;
}

export async function startChaosFile(name: string, env: Record<string, string>, options: { spares?: number; seed: number }): Promise<ChaosFile> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), `tessera-chaos-${name}-`));
  const cluster = await ChaosCluster.start({ root: path.join(runDir, 'cluster'), env, spares: options.spares ?? 0, seed: options.seed });
  const tenant = await cluster.addTenant('chaos', 'shared');
  return { cluster, tenant, runDir, marker: runMarker(options.seed), crashSim: env['TESSERA_CRASHSIM'] === '1', failed: false };
}

/** Runs a scenario; the file is marked failed unless `expectPass` holds for its outcome. */
export interface ScenarioExtras {
  /** Whether the run must pass (default) or must fail (a self-test with a planted bug). */
  readonly expectPass?: boolean;
  /** Acknowledged operations before the first fault and after the last heal (default 250 each). */
  readonly warmupOps?: number;
  readonly cooldownOps?: number;
}

export async function scenario(file: ChaosFile, name: string, seed: number, steps: readonly FaultStep[], workload: WorkloadShape = {}, extras: ScenarioExtras = {}): Promise<ScenarioResult> {
  const expectPass = extras.expectPass ?? true;
  const failedBefore = file.failed;
  // Marked failed until the scenario returns as expected: a test killed by its timeout keeps the files.
  file.failed = true;
  try {
    const result = await runScenario({
      name,
      cluster: file.cluster,
      tenant: file.tenant,
      runDir: file.runDir,
      seed,
      marker: file.marker,
      steps,
      workload,
      warmupOps: extras.warmupOps ?? 250,
      cooldownOps: extras.cooldownOps ?? 250,
      crashSim: file.crashSim,
    });
    process.stdout.write(formatScenario(result));
    file.failed = failedBefore || result.passed !== expectPass;
    return result;
  } catch (err) {
    file.failed = true;
    throw err;
  }
}

/** Stops every process and scans the disks for the run's marker; the number of hits. */
export async function stopAndScan(file: ChaosFile): Promise<number> {
  await file.cluster.stopAll();
  const hits = await scanDisksForMarker(file.cluster, file.marker);
  if (hits.length > 0) file.failed = true;
  return hits.length;
}

export async function finishChaosFile(file: ChaosFile | undefined): Promise<void> {
  if (file === undefined) return;
  await file.cluster.shutdown();
  if (file.failed) process.stderr.write(`chaos files kept in ${file.runDir}\n`);
  else await rm(file.runDir, { recursive: true, force: true });
}
