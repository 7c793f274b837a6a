// The runner's test processes (scripts/run-tests.mjs): each takes test files from a queue, one at a
// time, until none is left, and runs each as a suite named by its path, so that a file's top-level
// hooks stay its own. The files share the process's loaded modules: that is the point, since
// importing the apps costs a second or more per process.
//
// The runner prepares the run's database (the migrated PGlite template, or the fresh PostgreSQL
// database) while the processes start: until it says the database is ready, a process takes only
// unit files, which need none.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const runDir = process.env.GATEHOUSE_TEST_QUEUE;
if (!runDir) throw new Error('GATEHOUSE_TEST_QUEUE is not set: run the suites with scripts/run-tests.mjs');
const runScratch = process.env.GATEHOUSE_TEST_SCRATCH;
if (!runScratch) throw new Error('GATEHOUSE_TEST_SCRATCH is not set: run the suites with scripts/run-tests.mjs');
const databaseReady = () => existsSync(join(runDir, 'database-ready'));

/** Runs the files of one queue (a directory holding files.json, claimed by several processes). */
export async function runQueue(queueDir) {
  const queue = JSON.parse(readFileSync(join(queueDir, 'files.json'), 'utf8'));
  const taken = new Set();

  /** Creating a directory is atomic: each file goes to exactly one process. */
  function claim(index) {
    try {
      mkdirSync(join(queueDir, 'claims', String(index)), { recursive: false });
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      return false;
    } finally {
      taken.add(index);
    }
  }

  function next(ready) {
    for (let index = 0; index < queue.length; index++) {
      if (taken.has(index) || (!ready && queue[index].needsDatabase)) continue;
      if (claim(index)) return queue[index];
    }
    return undefined;
  }

  for (;;) {
    const ready = databaseReady();
    const file = next(ready);
    if (!file) {
      if (ready || queue.every((_, index) => taken.has(index))) return;
      await sleep(50);
      continue;
    }
    // The file's DATA_DIRs (test/support scratchDataDir) go while the next file runs, rather than all
    // at the end of the run: a PGlite cluster is over a thousand files, and a run makes hundreds.
    const fileScratch = mkdtempSync(join(runScratch, 'file-'));
    process.env.GATEHOUSE_TEST_SCRATCH = fileScratch;
    await describe(file.name, async () => {
      await import(pathToFileURL(file.path).href);
    });
    process.env.GATEHOUSE_TEST_SCRATCH = runScratch;
    void rm(fileScratch, { recursive: true, force: true }).catch(() => undefined);
  }
}
