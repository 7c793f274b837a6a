/**
 * Creates a new embedded cluster in the directory named by its first argument, then exits. Run
 * as a child process by `ensureCluster`: PGlite's initdb runs in two further WebAssembly
 * instances (with their memories, the unpacked bundle and a tar of the new cluster); in the
 * serving process they would hold ~400 MB until a later garbage collection, and ~140 MB of it
 * never goes back to the operating system. With a seed for this PGlite release (the second and
 * third arguments: its path and the release; cluster-seed.ts) the child unpacks it instead.
 */
import { PGlite } from '@electric-sql/pglite';
import { readClusterSeed } from './cluster-seed.js';
import { embeddedPgliteOptions } from './pglite-options.js';

const [directory, seedPath, pgliteVersion] = process.argv.slice(2);
if (!directory) throw new Error('usage: create-cluster.js <directory> [<seed path> <pglite version>]');
const seed = seedPath && pgliteVersion ? readClusterSeed({ path: seedPath, pgliteVersion }) : undefined;
const db = await PGlite.create(directory, { ...embeddedPgliteOptions(), ...(seed ? { loadDataDir: seed } : {}) });
await db.close();
