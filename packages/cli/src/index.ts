export { runCli, main } from './main.js';
export { buildProgram } from './program.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, classify } from './exit.js';
export type { Failure } from './exit.js';
export type { CliIo } from './io.js';
export { OUTPUT_FORMATS, formatTable, parseOutputFormat } from './output.js';
export type { OutputFormat } from './output.js';
export { VERSION } from './version.js';
export { HEAP_GROWING_PERCENT_ENV, DEFAULT_HEAP_GROWING_PERCENT, applyHeapTuning, heapTuningFlag } from './heap-tuning.js';
