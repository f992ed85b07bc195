// Durable key-value storage over LevelDB, with the crash simulation of
// DESIGN section 4 (TESSERA_CRASHSIM=1). A subpath of its own
// (`@tessera/common/durable`) so that packages without storage never load LevelDB.
export { CRASHSIM_ENV, crashSimEnabled, openDurableKv, simulatePowerLoss } from './crashsim.js';
export type { DurableKvOptions } from './crashsim.js';
export { compareKeys, keyInRange } from './level-kv.js';
export type { CrashOptions, DurableKv, KvOp, KvRange, KvWriteFault, KvWriteOptions } from './level-kv.js';
export { STATE_WRITE_GATHER_MS, WriteBehind, type BehindBatch, type WriteBehindOptions } from './write-behind.js';
