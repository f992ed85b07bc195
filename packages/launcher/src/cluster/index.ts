export { LocalCluster } from './local-cluster.js';
export type { ClusterTlsFiles, LocalClusterOptions, StartMode } from './local-cluster.js';
export { NodeProcess } from './node-process.js';
export type { NodeExit, NodePorts, NodeProcessOptions, NodeState } from './node-process.js';
export { cliNodeCommand, repositoryRoot } from './command.js';
export type { CliMode, NodeCommand } from './command.js';
export { pollUntil } from './wait.js';
export type { PollOptions } from './wait.js';
