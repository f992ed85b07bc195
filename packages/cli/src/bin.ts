/** Entry point run by bin/tessera. */
import { main } from './main.js';

await main();
