/**
 * Creates a new embedded cluster in the directory named by its one argument, then exits. Run
 * as a child process by `createCluster`: PGlite's initdb runs in two further WebAssembly
 * instances (with their memories, the unpacked bundle and a tar of the new cluster); in the
 * serving process they would hold ~400 MB until a later garbage collection, and ~140 MB of it
 * never goes back to the operating system.
 */
import { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from './pglite-options.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: create-cluster.js <directory>');
const db = await PGlite.create(directory, embeddedPgliteOptions());
await db.close();
