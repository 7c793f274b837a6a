// `npm start` and `npm run gatehouse` build first when dist/ is missing or older
// than the sources, so a fresh clone needs only `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = ['apps', 'libs', 'test'].map((d) => join(root, d)).filter(existsSync);
const force = process.argv.includes('--force');
const stale =
  force ||
  !existsSync(stamp) ||
  Math.max(statSync(join(root, 'tsconfig.json')).mtimeMs, ...sources.map(newestSource)) > statSync(stamp).mtimeMs;
if (stale) {
  process.stderr.write('Building Gatehouse...\n');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
