// node:test reporter that sums each test file's top-level durations; the runner adds it when
// TEST_TIMINGS is set (CONTRIBUTING). To a `.json` destination it writes {file: seconds}, the form
// of scripts/test-durations.json, which orders the runner's queue; otherwise the slowest files
// first, as text. In the runner's shared processes a file's tests are one top-level suite named by
// the file's path.
import { relative } from 'node:path';

const SHARED_PROCESS = /\/scripts\/test-slot\.mjs$/;

export default async function* timingReporter(source) {
  const seconds = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, file, name, details } = event.data;
    if (nesting !== 0 || !file) continue;
    const key = relative(process.cwd(), SHARED_PROCESS.test(file) ? name : file);
    seconds.set(key, (seconds.get(key) ?? 0) + (details?.duration_ms ?? 0) / 1000);
  }
  const rows = [...seconds].sort((a, b) => b[1] - a[1]);
  if (process.env.TEST_TIMINGS?.endsWith('.json')) {
    yield `${JSON.stringify(Object.fromEntries(rows.map(([file, s]) => [file, Math.round(s * 10) / 10])), null, 2)}\n`;
    return;
  }
  const total = rows.reduce((sum, [, s]) => sum + s, 0);
  yield `total ${total.toFixed(0)} s over ${rows.length} files\n`;
  for (const [file, s] of rows) yield `${s.toFixed(1).padStart(7)} s  ${file}\n`;
}
