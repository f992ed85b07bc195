// Original file: proto/tessera/v1/keys.proto

import type { NodePin as _tessera_v1_NodePin, NodePin__Output as _tessera_v1_NodePin__Output } from '../../tessera/v1/NodePin.js';

/**
 * The allow-list.
 */
export interface ListNodesResponse {
  /**
   * Nodes, sorted by id.
   */
  'nodes'?: (_tessera_v1_NodePin)[];
}

/**
 * The allow-list.
 */
export interface ListNodesResponse__Output {
  /**
   * Nodes, sorted by id.
   */
  'nodes': (_tessera_v1_NodePin__Output)[];
}
