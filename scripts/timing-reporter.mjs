// node:test reporter that sums each test file's top-level durations and lists the slowest
// files, slowest first; the runner adds it when TEST_TIMINGS is set (CONTRIBUTING). In the
// runner's shared processes a file's tests are one top-level suite named by the file's path.
const SHARED_PROCESS = /\/scripts\/test-slot\.mjs$/;

export default async function* timingReporter(source) {
  const seconds = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, file, name, details } = event.data;
    if (nesting !== 0 || !file) continue;
    const key = SHARED_PROCESS.test(file) ? name : file;
    seconds.set(key, (seconds.get(key) ?? 0) + (details?.duration_ms ?? 0) / 1000);
  }
  const rows = [...seconds].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, s]) => sum + s, 0);
  yield `total ${total.toFixed(0)} s over ${rows.length} files\n`;
  for (const [file, s] of rows) yield `${s.toFixed(1).padStart(7)} s  ${file}\n`;
}
