export { LOADER_OPTIONS, packageDefinition } from './loader.js';
export { PROTO_FILES, protoRoot } from './paths.js';
export { FRAME_BYTES, MAX_MESSAGE_BYTES, MAX_RAFT_BATCH_BYTES } from './limits.js';
export { u64, u64Number, u64String } from './u64.js';
export { PROTO_PACKAGE, SERVICE_NAMES, listMethods, serviceDefinition, tesseraV1 } from './services.js';
export type { MethodInfo, ServiceName, TesseraV1 } from './services.js';
export { putChunkCodec, putShardCodec } from './method-codecs.js';
export type { MethodCodec, PutChunkCodec, PutShardCodec } from './method-codecs.js';
export * from './generated/index.js';
