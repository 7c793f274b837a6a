// node:test reporter that counts leaf tests and writes {passed, failed, skipped, failures, files}
// as JSON; the runner prints the summary line from it after everything else. `files` names the test
// files whose suite ended (scripts/test-slot.mjs runs each as a top-level suite named by its path),
// so that the runner can tell a file that never finished.
const SHARED_PROCESS = /\/scripts\/test-slot\.mjs$/;

export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [], files: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, name, file, nesting } = event.data;
    if (nesting === 0 && SHARED_PROCESS.test(file ?? '')) counts.files.push(name);
    if (details?.type === 'suite') {
      if (skip !== undefined)
        counts.skipped++; // a skipped suite runs none of its tests
      // A suite that failed on its own account (its code threw: a file that did not load; a hook
      // failed) rather than through a failed test.
      else if (event.type === 'test:fail' && details.error?.failureType !== 'subtestsFailed') {
        counts.failed++;
        counts.failures.push(`${file ?? ''} :: ${name}`);
      }
      continue;
    }
    if (skip !== undefined || todo !== undefined) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${file ?? ''} :: ${name}`);
    }
  }
  yield `${JSON.stringify(counts)}\n`;
}
