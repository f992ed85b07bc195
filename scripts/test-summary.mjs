#!/usr/bin/env node
// Prints the closing line `N passed, N failed[, N skipped]` from the vitest JSON
// reports in .reports/ (vitest's own summary is not what CI reads). A missing
// or unreadable report counts as one failure, so a crashed suite never looks green.
// Failed tests are named (with the first line of their error) just above the
// closing line, because a CI log is often read from its tail only.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const reports = fileURLToPath(new URL('../.reports', import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
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
    for (const file of r.testResults ?? []) {
      const where = String(file.name ?? '?').replace(/^.*?\/(packages|test)\//, '$1/');
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const t of failedTests) failures.push(`${f.replace(/\.json$/, '')}: ${where} > ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
      if (failedTests.length === 0 && file.status === 'failed') failures.push(`${f.replace(/\.json$/, '')}: ${where}: ${firstLine(file.message)}`);
    }
  } catch {
    failed += 1;
    failures.push(`${f}: unreadable report`);
  }
}
if (failures.length > 0) {
  console.log('Failed:');
  for (const line of failures.slice(0, 20)) console.log(`  ${line}`);
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more`);
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);

function firstLine(message) {
  const line = String(message ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
