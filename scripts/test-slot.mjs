// One of the runner's test processes (scripts/run-tests.mjs): it takes test files from the run's
// queue, one at a time, until none is left, and runs each as a suite named by its path, so that a
// file's top-level hooks stay its own. The files share the process's loaded modules: that is the
// point, since importing the apps costs a second or more per process.
//
// The runner prepares the run's database (the migrated PGlite template, or the fresh PostgreSQL
// database) while the processes start: until it says the database is ready, a process takes only
// unit files, which need none.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const queueDir = process.env.GATEHOUSE_TEST_QUEUE;
const runScratch = process.env.GATEHOUSE_TEST_SCRATCH;
if (!queueDir || !runScratch)
  throw new Error('run the suites with scripts/run-tests.mjs: it sets GATEHOUSE_TEST_QUEUE and GATEHOUSE_TEST_SCRATCH');
const queue = JSON.parse(readFileSync(join(queueDir, 'files.json'), 'utf8'));
// What outlives one file, such as the embedded database the in-process servers share
// (test/support/shared-embedded-database.ts), goes here; its teardowns run after the last file.
process.env.GATEHOUSE_TEST_PROCESS_SCRATCH = mkdtempSync(join(runScratch, 'process-'));
const processEnd = Symbol.for('gatehouse.test.processEnd');
const databaseReady = () => existsSync(join(queueDir, 'database-ready'));
/** Files this process has tried to claim, its own and others'. */
const taken = new Set();

/** Creating a directory is atomic: each file goes to exactly one process. */
function claim(index) {
  taken.add(index);
  try {
    mkdirSync(join(queueDir, 'claims', String(index)));
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    return false;
  }
}

function next(ready) {
  for (let index = 0; index < queue.length; index++) {
    if (taken.has(index) || (!ready && queue[index].needsDatabase)) continue;
    if (claim(index)) return queue[index];
  }
  return undefined;
}

async function run(file) {
  // The file's DATA_DIRs (test/support scratchDataDir) go while the next file runs, rather than all
  // at the end of the run: a PGlite cluster is over a thousand files, and a run makes hundreds.
  const fileScratch = mkdtempSync(join(runScratch, 'file-'));
  process.env.GATEHOUSE_TEST_SCRATCH = fileScratch;
  let ended = false;
  await describe(file.name, async () => {
    after(() => (ended = true));
    await import(pathToFileURL(file.path).href);
  });
  // node:test (20 and 22) settles a top-level describe() once its suite has run; the queue needs that.
  if (!ended) throw new Error(`describe() settled before ${file.name} ended: this Node.js cannot run the suites in shared processes`);
  process.env.GATEHOUSE_TEST_SCRATCH = runScratch;
  void rm(fileScratch, { recursive: true, force: true }).catch(() => undefined);
}

for (;;) {
  const ready = databaseReady();
  const file = next(ready);
  if (file) await run(file);
  else if (ready || queue.every((_, index) => taken.has(index))) break;
  else await sleep(50);
}
// A file that left a server, a connection or a timer open would keep this process, and the run,
// waiting forever: say what is open and fail instead. Armed before the teardowns, which could hang too.
setTimeout(() => {
  process.stderr.write(
    `test process ${process.pid} still has open handles after its last file: ${process.getActiveResourcesInfo().join(', ')}\n`,
  );
  process.exit(1);
}, 30_000).unref();

for (const teardown of globalThis[processEnd] ?? []) {
  try {
    await teardown();
  } catch (error) {
    process.stderr.write(`test process ${process.pid}: a teardown after its last file failed: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  }
}
