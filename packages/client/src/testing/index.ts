/** Test doubles for SDK and CLI tests: a fake node client port serving the Data API in memory. */
export { FakeDataServer } from './fake-data-server.js';
export type { Fault, FaultKind, FakeDataServerOptions } from './fake-data-server.js';
export { FakeDataStore, INLINE_LIMIT } from './fake-data-store.js';
export type { CallRecord, DataMethod, StoredObject } from './fake-data-store.js';
export { createTenantTestPki } from './tenant-pki.js';
export type { TenantTestPki } from './tenant-pki.js';
