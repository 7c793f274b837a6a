import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from './pglite-options.js';

/**
 * An empty embedded cluster, made once per PGlite release by the build (PGlite's initdb in
 * memory, then its gzipped tar of the data directory, 4.5 MB), so that a first start unpacks it
 * (about 2 s) instead of running initdb (about 5 s and 750 MB; docs/adr/0006). It sits in
 * dist/libs/persistence, beside the compiled lib, and the Docker image ships it. Its file name
 * carries the PGlite release that made it: a seed of another release is never used.
 */
const SEED_DIRECTORY = fileURLToPath(new URL('../../', import.meta.url));
const SEED_PREFIX = 'embedded-cluster-pglite-';
const SEED_SUFFIX = '.tar.gz';

/** The build's seed for the installed PGlite, or undefined when that release cannot be read. */
export function defaultClusterSeed(): string | undefined {
  const version = installedPgliteVersion();
  return version === undefined ? undefined : join(SEED_DIRECTORY, `${SEED_PREFIX}${version}${SEED_SUFFIX}`);
}

/** Makes the seed unless it is there, and removes the seeds of other releases. Returns whether it wrote one. */
export async function writeClusterSeed(path: string): Promise<boolean> {
  if (existsSync(path)) return false;
  const db = await PGlite.create('memory://', embeddedPgliteOptions());
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  // Written under a name of its own and renamed: an interrupted or concurrent build never leaves half a seed.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path);
  for (const name of readdirSync(dirname(path))) {
    const other = join(dirname(path), name);
    if (name.startsWith(SEED_PREFIX) && name.endsWith(SEED_SUFFIX) && other !== path) rmSync(other, { force: true });
  }
  return true;
}

function installedPgliteVersion(): string | undefined {
  try {
    // The package's exports do not include its package.json: find it above the resolved entry.
    for (let directory = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')); ; directory = dirname(directory)) {
      const manifest = join(directory, 'package.json');
      if (existsSync(manifest)) {
        const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (name === '@electric-sql/pglite' && version) return version;
      }
      if (dirname(directory) === directory) return undefined;
    }
  } catch {
    return undefined;
  }
}
