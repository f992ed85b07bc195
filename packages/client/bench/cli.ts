/** `npm run bench -w @tessera/client` (add `-- --json` for JSON). */
import { formatTable } from '@tessera/common/bench';
import { runBenchmarks } from './index.js';

const results = await runBenchmarks();
process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(results, null, 2)}\n` : `${formatTable(results)}\n`);
