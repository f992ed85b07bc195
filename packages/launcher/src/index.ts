export * from './certs/index.js';
