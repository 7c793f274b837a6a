import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  name: string;
  files: string[];
  exports: Record<string, { types: string; import: string }>;
}

/** Issue 16: libs that are published as npm packages build on their own, with types, and load without the rest. */
describe('@gatehouse/resource-server as an npm package', () => {
  // Under the repository, so the package's own dependency (jose) resolves as it would from node_modules.
  const out = join(root, 'dist', 'packages', `resource-server-${process.pid}`);
  let manifest: Manifest;
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-package.mjs'), 'resource-server', '--out', out], {
      cwd: root,
      stdio: 'pipe',
    });
    manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Manifest;
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('every export has its module and its type declarations, inside the published files, with a README', () => {
    assert.equal(manifest.name, '@gatehouse/resource-server');
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      for (const file of [target.import, target.types]) {
        assert.ok(existsSync(join(out, file)), `${subpath}: ${file} exists`);
        assert.ok(
          manifest.files.some((published) => file.replace(/^\.\//, '').startsWith(published)),
          `${file} is published`,
        );
      }
    }
    assert.ok(readFileSync(join(out, 'README.md'), 'utf8').includes('requireAccessToken'));
  });

  it('the core loads without NestJS; the ./nest entry brings the guard, the decorator and the module', () => {
    const script = `
      import { createRequire } from 'node:module';
      const core = await import(${JSON.stringify(join(out, manifest.exports['.']!.import))});
      const names = ['ResourceServer', 'RevocationList', 'requireAccessToken', 'fastifyAccessToken', 'introspectionStanding', 'protectedResourceMetadata'];
      const missing = names.filter((name) => typeof core[name] !== 'function');
      const nestLoaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('@nestjs'));
      const nest = await import(${JSON.stringify(join(out, manifest.exports['./nest']!.import))});
      const nestMissing = ['BearerAuthGuard', 'RequireScopes', 'ResourceServerModule', 'BearerErrorFilter'].filter((name) => typeof nest[name] !== 'function');
      process.stdout.write(JSON.stringify({ missing, nestLoaded, nestMissing }));
    `;
    const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8' })) as {
      missing: string[];
      nestLoaded: boolean;
      nestMissing: string[];
    };
    assert.deepEqual(result.missing, []);
    assert.equal(result.nestLoaded, false, 'importing the core loads no @nestjs module');
    assert.deepEqual(result.nestMissing, []);
  });
});

describe('@gatehouse/oauth-client as an npm package', () => {
  const out = join(root, 'dist', 'packages', `oauth-client-${process.pid}`);
  let manifest: Manifest;
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-package.mjs'), 'oauth-client', '--out', out], { cwd: root, stdio: 'pipe' });
    manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Manifest;
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('builds with type declarations and a README, and its entry loads the client, the DPoP key and the store', () => {
    assert.equal(manifest.name, '@gatehouse/oauth-client');
    const entry = manifest.exports['.'];
    assert.ok(entry && existsSync(join(out, entry.import)) && existsSync(join(out, entry.types)));
    assert.ok(readFileSync(join(out, 'README.md'), 'utf8').includes('handleCallback'));
    const script = `
      const lib = await import(${JSON.stringify(join(out, entry.import))});
      process.stdout.write(JSON.stringify(['OAuthClient', 'DpopKey', 'DiscoveryCache', 'MemoryTokenStore', 'OAuthClientError', 'createPkcePair'].filter((name) => typeof lib[name] !== 'function')));
    `;
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: out, encoding: 'utf8' })), []);
  });
});
