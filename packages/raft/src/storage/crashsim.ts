// The durable KV layer and its crash simulation live in @tessera/common/durable
// (the storage engine needs them too); re-exported here for the Raft package.
export { CRASHSIM_ENV, crashSimEnabled, openDurableKv, simulatePowerLoss } from '@tessera/common/durable';
export type { DurableKvOptions } from '@tessera/common/durable';
