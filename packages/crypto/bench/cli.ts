/** `npm run bench -w @tessera/crypto`: runs the benchmarks and prints a table. */
import { formatTable } from '@tessera/common/bench';
import { runBenchmarks } from './index.js';

const results = await runBenchmarks();
process.stdout.write(formatTable(results) + '\n');
