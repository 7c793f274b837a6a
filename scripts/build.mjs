// Compiles every app, lib and test with tsc into dist/, then rewrites the
// @gatehouse/* path aliases into relative imports that Node can load, and makes the
// embedded database's empty cluster once per PGlite release (libs/persistence/src/embedded/cluster-seed.ts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.json']);
run(process.execPath, [join(root, 'dist', 'libs', 'persistence', 'src', 'embedded', 'make-cluster-seed.js')]);
writeFileSync(join(root, 'dist', '.build-stamp'), new Date().toISOString());
