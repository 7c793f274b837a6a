// Child processes as an operator runs them: spawn, wait until ready, read RSS, stop.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/** The Node.js every server target runs on: `BENCH_NODE` (another release's binary), else this one. */
export const serverNode = process.env.BENCH_NODE || process.execPath;

/**
 * `node <file>` with `env` (nothing inherited but PATH and HOME, so no stray variable changes the
 * configuration). Keeps the last lines of stderr to explain a failed start.
 */
export function spawnNode(name, file, env, { cwd, args = [], nodeArgs = [] } = {}) {
  const child = spawn(serverNode, [...nodeArgs, file, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(line);
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, child, pid: child.pid, tail, stdout: child.stdout };
}

/** Resolves with the first stdout line matching `pattern` (its first group), or fails when the process exits. */
export function waitForLine(proc, pattern, timeoutMs = 30_000) {
  return new Promise((resolveLine, reject) => {
    let buffer = '';
    const timer = setTimeout(() => fail(new Error(`${proc.name}: no "${pattern}" within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk;
      const match = buffer.match(pattern);
      if (match) done(match[1]);
    };
    const onExit = (code) => fail(new Error(`${proc.name} exited with ${code}:\n${proc.tail.join('\n')}`));
    const cleanup = () => {
      clearTimeout(timer);
      proc.stdout.off('data', onData);
      proc.child.off('exit', onExit);
    };
    const done = (value) => (cleanup(), resolveLine(value));
    const fail = (error) => (cleanup(), reject(error));
    proc.stdout.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

/** Polls `url` until it answers 200 (a readiness endpoint), or fails when the process exits. */
export async function waitForReady(proc, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.tail.join('\n')}`);
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.name}: ${url} not ready within ${timeoutMs} ms:\n${proc.tail.join('\n')}`);
    await sleep(200);
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ). */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** A process's name and user + system CPU seconds so far, from /proc/<pid>/stat (Linux); throws when it is gone. */
export function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
}

/** Resident set size in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid) {
  try {
    const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : NaN;
  } catch {
    return NaN;
  }
}

export async function stopProcess(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cleanups = new Set();

/** Registers what an interrupted run must still undo (stop processes, drop a database); returns the unregister function. */
export function onInterrupt(cleanup) {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** For the runner: on Ctrl-C or SIGTERM, undo everything registered, then exit. */
export function cleanUpOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the servers and dropping the databases\n`);
      Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() => process.exit(130));
    });
  }
}
