/**
 * `ports.json` in the data dir: written (atomically: temp file, rename) once
 * a process serves its ports, so a launcher that started it with port 0
 * learns where it listens — and, for a joining member, the incarnation id
 * its AddMember must carry. The same object is printed as one JSON line on
 * stdout (`{"event":"ready",...}`). A stale file is removed at start-up, and
 * the pid tells a reader which process wrote it.
 *
 * A storage node reports its peer and client ports; a key manager serves
 * Keys and Raft on its one keys port and reports it as both.
 */
import { rename, rm, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';

export const PORTS_FILE = 'ports.json';

export interface PortsInfo {
  readonly pid: number;
  /** The member id (node id or key-manager id). */
  readonly nodeId: string;
  readonly incarnationId: string;
  /** '' while a joining node has not learnt it. */
  readonly clusterId: string;
  /** host:port of the peer port (what this node advertises). */
  readonly peerAddress: string;
  /** host:port of the client port. */
  readonly clientAddress: string;
  /** host:port of a storage node's bulk port (ADR 0026), when it serves one. */
  readonly bulkAddress?: string;
  /** host:port of a storage node's client-facing bulk port (tenants' chunk uploads), when it serves one. */
  readonly clientBulkAddress?: string;
  /** host:port of the HTTP port (/healthz, /readyz), for processes that serve one. */
  readonly httpAddress?: string;
}

export function portsFilePath(dataDir: string): string {
  return path.join(dataDir, PORTS_FILE);
}

export async function writePortsFile(dataDir: string, info: PortsInfo): Promise<void> {
  const target = portsFilePath(dataDir);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(info) + '\n', { mode: 0o600 });
  await rename(tmp, target);
}

export async function removePortsFile(dataDir: string): Promise<void> {
  await rm(portsFilePath(dataDir), { force: true });
}

function isPortsInfo(v: unknown): v is PortsInfo {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isInteger(o['pid']) &&
    typeof o['nodeId'] === 'string' &&
    typeof o['incarnationId'] === 'string' &&
    typeof o['clusterId'] === 'string' &&
    typeof o['peerAddress'] === 'string' &&
    typeof o['clientAddress'] === 'string' &&
    (o['httpAddress'] === undefined || typeof o['httpAddress'] === 'string') &&
    (o['bulkAddress'] === undefined || typeof o['bulkAddress'] === 'string') &&
    (o['clientBulkAddress'] === undefined || typeof o['clientBulkAddress'] === 'string')
  );
}

/** The ports file of `dataDir`, or undefined when there is none (yet). */
export async function readPortsFile(dataDir: string): Promise<PortsInfo | undefined> {
  let text: string;
  try {
    text = await readFile(portsFilePath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'ports file is not JSON');
  }
  if (!isPortsInfo(parsed)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'ports file has an unexpected shape');
  return parsed;
}
