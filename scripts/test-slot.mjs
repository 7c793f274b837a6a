// One of the runner's test processes (scripts/run-tests.mjs): it takes test files from the run's
// queue, one at a time, until none is left, and runs each as a suite named by its path, so that
// a file's top-level hooks stay its own. The files share this process's loaded modules: that is
// the point, since importing the apps costs a second or more per process.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';

const queueDir = process.env.GATEHOUSE_TEST_QUEUE;
if (!queueDir) throw new Error('GATEHOUSE_TEST_QUEUE is not set: run the suites with scripts/run-tests.mjs');
const queue = JSON.parse(readFileSync(join(queueDir, 'files.json'), 'utf8'));

/** Claims the next unclaimed file: creating a directory is atomic, so each file goes to exactly one process. */
function claim(from) {
  for (let index = from; index < queue.length; index++) {
    try {
      mkdirSync(join(queueDir, 'claims', String(index)));
      return index;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
  return undefined;
}

for (let index = claim(0); index !== undefined; index = claim(index + 1)) {
  const { path, name } = queue[index];
  await describe(name, async () => {
    await import(pathToFileURL(path).href);
  });
}
