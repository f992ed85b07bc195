#!/usr/bin/env node
// Prints the closing line `N passed, N failed[, N skipped]` from the vitest JSON
// reports in .reports/ (vitest's own summary is not what CI reads). A missing
// or unreadable report counts as one failure, so a crashed suite never looks green.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const reports = fileURLToPath(new URL('../.reports', import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.json')) : [];
for (const f of files) {
  try {
    const r = JSON.parse(readFileSync(join(reports, f), 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A suite that failed to load (syntax error, import failure) has no failed
    // test but a failed file: count it so the line is honest.
    if ((r.numFailedTests ?? 0) === 0 && (r.numFailedTestSuites ?? 0) > 0) failed += r.numFailedTestSuites;
  } catch {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
