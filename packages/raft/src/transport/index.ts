export { InProcNetwork, InProcTransport } from './inproc.js';
export type { DeliveryObserver, DropFilter, InProcNetworkOptions } from './inproc.js';
export type { EnvelopeHandler, RaftEnvelope, Transport } from './types.js';
