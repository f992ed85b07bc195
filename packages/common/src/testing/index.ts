export { describeVectors, isCi, locateVectors, readVectorJson, repoRoot } from './vectors.js';
export type { VectorsLocation } from './vectors.js';
export { tempDirs } from './temp-dirs.js';
export type { TempDirs } from './temp-dirs.js';
export { waitFor } from './wait.js';
export type { WaitOptions } from './wait.js';
