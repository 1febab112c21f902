// Prints one plain closing line `N passed, N failed` for unit and end-to-end
// tests together, read from the JSON reports the runners write.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let found = false;

const unitReport = 'reports/unit.json';
if (existsSync(unitReport)) {
  const unit = JSON.parse(readFileSync(unitReport, 'utf8'));
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  found = true;
}

const e2eReport = 'reports/e2e.json';
if (existsSync(e2eReport)) {
  const e2e = JSON.parse(readFileSync(e2eReport, 'utf8'));
  passed += e2e.stats?.expected ?? 0;
  failed += (e2e.stats?.unexpected ?? 0) + (e2e.stats?.flaky ?? 0);
  found = true;
}

if (!found) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed`);
