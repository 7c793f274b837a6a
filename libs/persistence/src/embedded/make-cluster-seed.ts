/**
 * Run by the build (scripts/build.mjs): makes the embedded cluster's seed unless it is there. A seed
 * only saves time, so a failure is a warning: without it a first start runs initdb.
 */
import { defaultClusterSeed, writeClusterSeed } from './cluster-seed.js';

const seed = defaultClusterSeed();
try {
  if (!seed) process.stderr.write('Warning: cannot read the installed PGlite release; no embedded cluster seed made\n');
  else if (await writeClusterSeed(seed)) process.stdout.write(`Made the embedded cluster's seed: ${seed}\n`);
} catch (error) {
  process.stderr.write(`Warning: could not make the embedded cluster's seed (a first start will run initdb): ${String(error)}\n`);
}
