// node:test reporter that counts leaf tests and writes {passed, failed, skipped}
// as JSON; the runner prints the summary line from it after everything else.
export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, name, file } = event.data;
    if (details?.type === 'suite') {
      if (skip !== undefined)
        counts.skipped++; // a skipped suite runs none of its tests
      // A suite whose own code threw has no failed test to count: in the runner's shared processes
      // (scripts/test-slot.mjs) that is a test file, named by its path, that did not load.
      else if (event.type === 'test:fail' && details.error?.failureType === 'testCodeFailure') {
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
