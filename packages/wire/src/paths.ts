/** Where the .proto files live, for the loader and the type generator. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, TesseraError } from '@tessera/common';

/** Proto files of package tessera.v1, relative to the proto root. */
export const PROTO_FILES: readonly string[] = [
  'tessera/v1/common.proto',
  'tessera/v1/raft.proto',
  'tessera/v1/fabric.proto',
  'tessera/v1/data.proto',
  'tessera/v1/admin.proto',
  'tessera/v1/keys.proto',
  'tessera/v1/kv.proto',
];

const here = path.dirname(fileURLToPath(import.meta.url));

// This module runs from packages/wire/src (sources, tests, tsx) or from
// packages/wire/dist/src (built): the repository root is 3 or 4 levels up.
function findRepoRoot(): string {
  for (const up of ['../../..', '../../../..']) {
    const candidate = path.resolve(here, up);
    if (existsSync(path.join(candidate, 'proto', PROTO_FILES[0] ?? ''))) return candidate;
  }
  return path.resolve(here, '../../..');
}

export const REPO_ROOT: string = findRepoRoot();

/**
 * The directory holding `tessera/v1/*.proto`. `TESSERA_PROTO_DIR` overrides it
 * (for installs that ship the protos elsewhere).
 */
export function protoRoot(): string {
  const dir = process.env['TESSERA_PROTO_DIR'] ?? path.join(REPO_ROOT, 'proto');
  if (!existsSync(path.join(dir, PROTO_FILES[0] ?? ''))) {
    throw new TesseraError(ErrorCodes.WIRE_PROTO_MISSING, 'tessera proto files not found (set TESSERA_PROTO_DIR)');
  }
  return dir;
}
