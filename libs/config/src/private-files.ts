import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * DATA_DIR holds the embedded database, its socket, the generated key-encryption key and the
 * generated admin password: only the service's own user may read it (issue 10 item 12). Modes
 * are set explicitly, not left to the umask, and an existing directory that is too open (the
 * Docker image once pre-created it 0755) is tightened rather than trusted.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) and makes it 0700 whatever it was. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Directories 0700 and files 0600 below `root` (root included); symbolic links are left alone. */
export function tightenTree(root: string): void {
  let stats;
  try {
    stats = lstatSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stats.isSymbolicLink()) return;
  if (stats.isDirectory()) {
    tighten(root, PRIVATE_DIR_MODE, stats.mode);
    for (const entry of readdirSync(root)) tightenTree(join(root, entry));
  } else if (stats.isFile()) {
    tighten(root, PRIVATE_FILE_MODE, stats.mode);
  }
}

/**
 * Writes `content` to a new 0600 file in a private directory, atomically (temporary file, then
 * rename), so no reader ever sees it with wider permissions or half written.
 */
export function writePrivateFile(path: string, content: string): void {
  ensurePrivateDir(dirname(path));
  // A random name: a stale one left by a crash (PID 1 in every container) must not block the next start.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, PRIVATE_FILE_MODE);
  renameSync(temporary, path);
}

function tighten(path: string, mode: number, current?: number): void {
  if (current !== undefined && (current & 0o777) === mode) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`${path} must be private to this user (mode ${mode.toString(8)}) and could not be made so (${code})`, { cause: error });
  }
}
