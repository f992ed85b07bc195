// See crashsim.ts: re-exported from @tessera/common/durable.
export { compareKeys, keyInRange } from '@tessera/common/durable';
export type { CrashOptions, DurableKv, KvOp, KvRange, KvWriteFault, KvWriteOptions } from '@tessera/common/durable';
