import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrivateDir } from '@gatehouse/config';
import { defaultClusterSeed } from './cluster-seed.js';

const CREATE_CLUSTER_SCRIPT = fileURLToPath(new URL('./create-cluster.js', import.meta.url));

/**
 * Makes sure `directory` holds a PGlite cluster. A new one is created by a child process (its
 * initdb memory goes back to the system when it exits) in a sibling directory that is renamed
 * into place once complete, so a first run that is interrupted leaves nothing half made. The
 * child unpacks the build's seed for this PGlite release when there is one (`seed` names another
 * file, or `null` asks for initdb); when a seed fails to unpack, initdb runs instead.
 */
export async function ensureCluster(directory: string, seed?: string | null): Promise<void> {
  if (existsSync(join(directory, 'PG_VERSION'))) return;
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new Error(`${directory} is not empty but holds no database (no PG_VERSION): move it away to start with a new one`);
  }
  const seedPath = seed === undefined ? defaultClusterSeed() : seed;
  const usableSeed = seedPath && existsSync(seedPath) ? seedPath : null;
  const staging = `${directory}.creating`;
  try {
    try {
      await createIn(staging, usableSeed);
    } catch (error) {
      if (!usableSeed) throw error;
      await createIn(staging, null); // the seed did not unpack: initdb instead
    }
    rmSync(directory, { recursive: true, force: true }); // empty, checked above
    renameSync(staging, directory);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function createIn(staging: string, seedPath: string | null): Promise<void> {
  rmSync(staging, { recursive: true, force: true });
  ensurePrivateDir(staging);
  await runCreateCluster(staging, seedPath);
}

function runCreateCluster(directory: string, seedPath: string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    // Not the parent's execArgv (an --inspect port, a preload): the child only creates the cluster.
    const child = spawn(process.execPath, [CREATE_CLUSTER_SCRIPT, directory, ...(seedPath ? [seedPath] : [])], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`Creating the embedded database failed (${signal ?? `exit code ${code}`}): ${stderr.trim()}`));
    });
  });
}
