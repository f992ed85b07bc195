/** The committed generated module is exactly what the .wat assembles to. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFromWat, generatedPath } from '../scripts/assemble-wasm.js';

describe('generated wasm module', () => {
  it('is reproducible from wasm/gf256.wat (run `npm run gen:wasm` after editing the .wat)', async () => {
    expect(await generateFromWat()).toBe(readFileSync(generatedPath, 'utf8'));
  });
});
