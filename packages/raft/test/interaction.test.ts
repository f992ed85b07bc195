import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenarioFile } from './datadriven.js';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'testdata');

describe('data-driven interaction scenarios', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      expect(runScenarioFile(join(dir, file))).toEqual([]);
    });
  }

  it('parses blocks, arguments and key=value pairs', () => {
    const blocks = parseScenario('# c\ncluster voters=a,b x\n----\nok\n\nstatus a\n----\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.command).toBe('cluster');
    expect(blocks[0]?.args).toEqual(['x']);
    expect(blocks[0]?.kv.get('voters')).toBe('a,b');
    expect(blocks[1]?.expected).toBe('');
  });

  it('rejects a block without its ---- separator', () => {
    expect(() => parseScenario('status a\nnope\n')).toThrow(/expected ----/);
  });
});
