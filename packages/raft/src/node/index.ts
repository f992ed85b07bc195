export { RaftNode } from './raft-node.js';
export type { RaftNodeObserver, RaftNodeOptions, RaftNodeStats, RaftNodeStatus } from './raft-node.js';
export type { StateMachine } from './state-machine.js';
export type { ConfChangeOptions, RaftCorePort, RaftCoreFactory } from './core-port.js';
export { NotLeaderError, RejectedError, UnknownOutcomeError, stoppedError, timeoutError } from './errors.js';
export type { UnknownCause } from './errors.js';
export { TRACE_ENV, trace, traceNow, tracing } from './trace.js';
