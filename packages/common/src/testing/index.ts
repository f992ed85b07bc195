export { describeVectors, isCi, locateVectors, readVectorJson, repoRoot } from './vectors.js';
export type { VectorsLocation } from './vectors.js';
