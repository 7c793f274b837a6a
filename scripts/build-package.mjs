// Builds one lib as a publishable npm package: `node scripts/build-package.mjs <lib> [--out <dir>]`.
// Compiles the entry points named in libs/<lib>/package.json "exports" (and every module they import,
// the other @gatehouse libs' included, rewritten to relative paths) with type declarations into
// <dir>/dist, and copies package.json and README.md beside it. <dir> is libs/<lib> by default, so
// `npm pack` / `npm publish` run from there (docs/adr/0021).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [lib, ...rest] = process.argv.slice(2);
if (!lib || !existsSync(join(root, 'libs', lib, 'package.json'))) {
  process.stderr.write('usage: node scripts/build-package.mjs <lib with a package.json> [--out <dir>]\n');
  process.exit(2);
}
const outFlag = rest.indexOf('--out');
const libDir = join(root, 'libs', lib);
const out = outFlag >= 0 && rest[outFlag + 1] ? resolve(rest[outFlag + 1]) : libDir;
const manifest = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8'));

// "./dist/resource-server/src/index.js" → libs/resource-server/src/index.ts
const entries = Object.values(manifest.exports).map((target) =>
  join(root, 'libs', target.import.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')),
);
const rootConfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
rmSync(join(out, 'dist'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const configFile = join(root, `tsconfig.package-${lib}.json`);
writeFileSync(
  configFile,
  JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: {
      rootDir: 'libs',
      outDir: relative(root, join(out, 'dist')),
      declaration: true,
      sourceMap: false,
      incremental: false,
      tsBuildInfoFile: null,
      paths: rootConfig.compilerOptions.paths,
    },
    files: entries.map((entry) => relative(root, entry)),
    include: [],
  }),
);
try {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', configFile], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', configFile], { cwd: root, stdio: 'inherit' });
} finally {
  rmSync(configFile, { force: true });
}
if (out !== libDir) {
  copyFileSync(join(libDir, 'package.json'), join(out, 'package.json'));
  if (existsSync(join(libDir, 'README.md'))) copyFileSync(join(libDir, 'README.md'), join(out, 'README.md'));
}
process.stdout.write(`${manifest.name}@${manifest.version} built in ${relative(process.cwd(), out) || '.'}\n`);
