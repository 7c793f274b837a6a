/** Run by the build (scripts/build.mjs): makes the embedded cluster's seed unless a current one is there. */
import { defaultClusterSeed, writeClusterSeed } from './cluster-seed.js';

const seed = defaultClusterSeed();
if (await writeClusterSeed(seed)) process.stdout.write(`Made the embedded cluster's seed for PGlite ${seed.pgliteVersion}: ${seed.path}\n`);
