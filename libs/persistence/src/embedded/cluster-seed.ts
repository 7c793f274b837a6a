import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { embeddedPgliteOptions } from './pglite-options.js';

/**
 * An empty embedded cluster, made once by the build (PGlite's initdb, then its gzipped tar of
 * the data directory) so that a first start unpacks it in about a second instead of running
 * initdb (about 7 s and 9 s of CPU on two cores). It sits in dist/libs/persistence, beside the
 * compiled lib, and the Docker image ships it. A seed made by another PGlite release is not
 * used: the cluster is created by initdb as before.
 */
export interface ClusterSeed {
  readonly path: string;
  readonly pgliteVersion: string;
}

const DEFAULT_SEED_PATH = fileURLToPath(new URL('../../embedded-cluster-seed.tar.gz', import.meta.url));

export function defaultClusterSeed(): ClusterSeed {
  return { path: DEFAULT_SEED_PATH, pgliteVersion: installedPgliteVersion() };
}

/** The seed's data directory tarball, or undefined when there is none for this PGlite release. */
export function readClusterSeed(seed: ClusterSeed): Blob | undefined {
  if (!existsSync(seed.path) || !existsSync(versionFileOf(seed.path))) return undefined;
  if (readFileSync(versionFileOf(seed.path), 'utf8').trim() !== seed.pgliteVersion) return undefined;
  return new Blob([readFileSync(seed.path)]);
}

/** Makes the seed unless a current one is there. Returns whether it wrote one. */
export async function writeClusterSeed(seed: ClusterSeed): Promise<boolean> {
  if (readClusterSeed(seed)) return false;
  const db = await PGlite.create('memory://', embeddedPgliteOptions());
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  // Written aside and renamed: a build interrupted here leaves the previous seed or none, never half of one.
  writeFileSync(`${seed.path}.partial`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${seed.path}.partial`, seed.path);
  writeFileSync(versionFileOf(seed.path), `${seed.pgliteVersion}\n`);
  return true;
}

const versionFileOf = (seedPath: string) => `${seedPath}.pglite-version`;

function installedPgliteVersion(): string {
  // The package's exports do not include its package.json: find it above the resolved entry.
  for (let directory = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')); ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return version;
    }
    if (dirname(directory) === directory) throw new Error('cannot find the installed @electric-sql/pglite version');
  }
}
