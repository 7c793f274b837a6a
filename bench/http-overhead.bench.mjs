// GET /health/live: bare Fastify (baseline) vs the Gatehouse authorization app.
// Each server runs in its own process; autocannon drives it from this one.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function startTarget(file) {
  const child = spawn(process.execPath, [join(here, 'targets', file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/LISTENING (\S+)/);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGKILL') };
}

async function measure(file) {
  const target = await startTarget(file);
  try {
    await autocannon({ url: `${target.url}/health/live`, connections, duration: 2 }); // warm-up
    const result = await autocannon({ url: `${target.url}/health/live`, connections, duration: seconds });
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
  } finally {
    target.stop();
  }
}

const baseline = await measure('bare-fastify.mjs');
const gatehouse = await measure('gatehouse-authorization.mjs');
const ratio = ((gatehouse.rps / baseline.rps) * 100).toFixed(1);

const results = join(here, 'RESULTS.md');
if (!existsSync(results)) writeFileSync(results, '# Benchmark results\n\nAppended by each run of a benchmark in bench/.\n');
const table = [
  '',
  `## http-overhead: GET /health/live (${new Date().toISOString()})`,
  '',
  `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${connections} connections, ${seconds} s per target.`,
  '',
  '| target | req/s | p50 ms | p99 ms | errors |',
  '|---|---|---|---|---|',
  `| bare Fastify (baseline) | ${baseline.rps.toFixed(0)} | ${baseline.p50} | ${baseline.p99} | ${baseline.errors} |`,
  `| Gatehouse authorization app (NestJS on Fastify) | ${gatehouse.rps.toFixed(0)} | ${gatehouse.p50} | ${gatehouse.p99} | ${gatehouse.errors} |`,
  '',
  `Gatehouse serves ${ratio}% of the baseline's throughput.`,
  '',
].join('\n');
appendFileSync(results, table);
process.stdout.write(table);
