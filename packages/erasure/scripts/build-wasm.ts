/**
 * `npm run gen:wasm`: assembles wasm/gf256.wat into src/gf256-wasm.generated.ts.
 * The generated file is committed so the package needs neither wabt nor a
 * copy step at run time, from src or from dist.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateFromWat, generatedPath, packageDir } from './assemble-wasm.js';

const text = await generateFromWat();
writeFileSync(generatedPath, text);
process.stdout.write(`wrote ${relative(packageDir, generatedPath)}\n`);
