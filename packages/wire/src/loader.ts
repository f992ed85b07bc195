/**
 * Loads the tessera.v1 protos with @grpc/proto-loader.
 *
 * Options (decided once, mirrored by scripts/gen-types.ts so the generated
 * types match what callers receive):
 *  - keepCase: false — fields are camelCase in TypeScript (`group_id` →
 *    `groupId`); the .proto files keep protobuf's snake_case.
 *  - longs: String — every 64-bit integer arrives as a decimal string, so no
 *    value above 2^53 is rounded; callers convert with `u64` (bigint). On
 *    output, grpc accepts number, decimal string or Long.
 *  - enums: String — enum values arrive as their names.
 *  - defaults: true — absent scalar fields arrive as their default ('', '0',
 *    false, empty Buffer); absent message fields arrive as null.
 *  - oneofs: true — a oneof's virtual field names the member that is set.
 *  - bytes: Buffer (proto-loader's default).
 */
import * as protoLoader from '@grpc/proto-loader';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { ensureLongSupport } from './long-support.js';
import { PROTO_FILES, protoRoot } from './paths.js';

export const LOADER_OPTIONS: Readonly<protoLoader.Options> = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const U64_MAX = '18446744073709551615';

/** Refuses to run with a protobufjs that would round 64-bit integers. */
function assertExactU64(definition: protoLoader.PackageDefinition): void {
  const raft = definition['tessera.v1.Raft'] as protoLoader.ServiceDefinition | undefined;
  const exchange = raft?.['Exchange'];
  if (exchange === undefined) throw new TesseraError(ErrorCodes.WIRE_PROTO_MISSING, 'tessera.v1.Raft is missing');
  const decoded = exchange.requestDeserialize(exchange.requestSerialize({ seq: U64_MAX })) as { seq?: unknown };
  const empty = exchange.requestDeserialize(exchange.requestSerialize({})) as { seq?: unknown };
  if (decoded.seq !== U64_MAX || empty.seq !== '0') {
    throw new TesseraError(ErrorCodes.WIRE_BAD_U64, 'protobufjs has no 64-bit integer support (the long package is not usable)');
  }
}

let cached: protoLoader.PackageDefinition | undefined;

/** The package definition of every tessera.v1 service and message (loaded once). */
export function packageDefinition(): protoLoader.PackageDefinition {
  if (cached === undefined) {
    ensureLongSupport();
    const definition = protoLoader.loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [protoRoot()] });
    assertExactU64(definition);
    cached = definition;
  }
  return cached;
}
