export { DEFAULT_SESSION_LIMITS, SessionTable } from './table.js';
export type { SessionLimits, SessionOutcome, SessionRequest, SessionState, SessionTableState } from './table.js';
export { decodeSessionState, decodeSessionTable, encodeSessionTable } from './codec.js';
