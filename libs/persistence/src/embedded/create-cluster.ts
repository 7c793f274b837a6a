/**
 * Creates a new embedded cluster in the directory named by its first argument, then exits. Run
 * as a child process by `ensureCluster`: PGlite's initdb runs in two further WebAssembly
 * instances (with their memories, the unpacked bundle and a tar of the new cluster); in the
 * serving process they would hold ~400 MB until a later garbage collection, and ~140 MB of it
 * never goes back to the operating system. Given a seed (the second argument; cluster-seed.ts)
 * the child unpacks it instead.
 */
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from './pglite-options.js';

const [directory, seedPath] = process.argv.slice(2);
if (!directory) throw new Error('usage: create-cluster.js <directory> [<seed>]');
const seed = seedPath ? { loadDataDir: new Blob([readFileSync(seedPath)]) } : {};
const db = await PGlite.create(directory, { ...embeddedPgliteOptions(), ...seed });
await db.close();
