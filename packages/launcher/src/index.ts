export * from './certs/index.js';
export * from './cluster/index.js';
