import { formatTable } from '../src/bench/index.js';
import { runBenchmarks } from './index.js';

process.stdout.write(formatTable(await runBenchmarks()) + '\n');
