// The benchmark suite: `npm run bench` runs every scenario in bench/scenarios/, `npm run bench --
// <scenario> [...]` the ones named. Each scenario module exports `name`, `description` and
// `run(ctx)` returning { title, columns, rows, notes }; the runner appends each result to
// bench/RESULTS.md with the date, the machine and the settings. See bench/README.md.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { cleanUpOnSignals, serverNode } from './lib/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const resultsFile = process.env.BENCH_RESULTS ?? join(here, 'RESULTS.md');
/** The order of a full run: cheap and independent first, the long ones last. */
const ORDER = [
  'idle-rss',
  'jwks-discovery',
  'client-credentials',
  'introspection',
  'userinfo',
  'refresh',
  'code-flow',
  'login',
  'audit-pipeline',
  'tenancy-at-scale',
  'resource-server-guard',
];

const number = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

async function loadScenarios() {
  const dir = join(here, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  const modules = [];
  for (const file of files) {
    try {
      modules.push(await import(pathToFileURL(join(dir, file)).href));
    } catch (error) {
      process.stderr.write(`bench/scenarios/${file} does not load, skipped: ${error.message}\n`);
    }
  }
  const rank = (name) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return modules.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

function usage(scenarios) {
  return `usage: npm run bench [-- <scenario> ...]\n\nscenarios:\n${scenarios.map((s) => `  ${s.name.padEnd(20)} ${s.description}`).join('\n')}\n`;
}

const escapeCell = (value) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');

const serverNodeVersion =
  serverNode === process.execPath ? process.version : execFileSync(serverNode, ['--version'], { encoding: 'utf8' }).trim();

function section(scenario, result, ctx, started, load) {
  const cpu = cpus();
  return [
    '',
    `## ${scenario.name}: ${result.title} (${started.toISOString()})`,
    '',
    `${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), Linux ${release()}, Node ${serverNodeVersion}${serverNodeVersion === process.version ? '' : ` (the harness on ${process.version})`}; ` +
      `${ctx.connections} connections, ${ctx.seconds} s per run, ${ctx.rounds} interleaved rounds (median shown); ` +
      `load average ${load.map((l) => l.toFixed(2)).join(' ')} before the run; PostgreSQL and Redis on loopback.`,
    '',
    `| ${result.columns.map(escapeCell).join(' | ')} |`,
    `| ${result.columns.map(() => '---').join(' | ')} |`,
    ...result.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
    '',
    ...result.notes.flatMap((note) => [note, '']),
  ].join('\n');
}

async function append(text) {
  if (!existsSync(resultsFile)) writeFileSync(resultsFile, '# Benchmark results\n\nAppended by each run of a benchmark in bench/.\n');
  appendFileSync(resultsFile, text);
  try {
    const prettier = await import('prettier');
    const options = { ...(await prettier.resolveConfig(resultsFile)), filepath: resultsFile };
    writeFileSync(resultsFile, await prettier.format(readFileSync(resultsFile, 'utf8'), options));
  } catch {
    // prettier is a devDependency: without it the section stays as written
  }
}

const scenarios = await loadScenarios();
const asked = process.argv.slice(2).filter((a) => a !== '--');
if (asked.includes('--help') || asked.includes('-h')) {
  process.stdout.write(usage(scenarios));
  process.exit(0);
}
const unknown = asked.filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario: ${unknown.join(', ')}\n\n${usage(scenarios)}`);
  process.exit(2);
}
const selected = asked.length === 0 ? scenarios : asked.map((name) => scenarios.find((s) => s.name === name));
if (!existsSync(join(root, 'dist/apps/authorization/src/main.js'))) {
  process.stderr.write('no build in dist/: run `npm run build` first\n');
  process.exit(1);
}

const settings = {
  root,
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12',
  seconds: number('BENCH_SECONDS', 10),
  rounds: number('BENCH_ROUNDS', 3),
  connections: number('BENCH_CONNECTIONS', 50),
};

cleanUpOnSignals();
let failed = 0;
for (const scenario of selected) {
  const ctx = { ...settings, log: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`) };
  const started = new Date();
  const load = loadavg();
  ctx.log(`${scenario.description}`);
  try {
    const result = await scenario.run(ctx);
    const text = section(scenario, result, ctx, started, load);
    await append(text);
    process.stdout.write(`${text}\n`);
    ctx.log(`done in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
  } catch (error) {
    failed += 1;
    ctx.log(`FAILED: ${error.stack ?? error}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
