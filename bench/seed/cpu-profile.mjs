// Reads the .cpuprofile files `node --cpu-prof` writes and says where the time went: self time per
// function (file:line), and the share of idle, garbage collection and the rest.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Summary of every profile in `dir`: { totalMs, idleMs, gcMs, top: [{ name, where, ms, share }] }. */
export function summarizeProfiles(dir, { root = '', top = 15 } = {}) {
  const selfByFrame = new Map();
  let totalMs = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const hits = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = (profile.timeDeltas[i] ?? 0) / 1000;
      hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + delta);
      totalMs += delta;
    }
    for (const [id, ms] of hits) {
      const frame = nodes.get(id).callFrame;
      const where = frame.url ? `${shorten(frame.url, root)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName || '(anonymous)'}|${where}`;
      selfByFrame.set(key, (selfByFrame.get(key) ?? 0) + ms);
    }
  }
  const entries = [...selfByFrame].map(([key, ms]) => {
    const [name, where] = key.split('|');
    return { name, where, ms, share: totalMs ? ms / totalMs : 0 };
  });
  const sumOf = (names) => entries.filter((entry) => names.includes(entry.name)).reduce((total, entry) => total + entry.ms, 0);
  return {
    totalMs,
    idleMs: sumOf(['(idle)']),
    gcMs: sumOf(['(garbage collector)']),
    top: entries
      .filter((entry) => entry.name !== '(idle)')
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
    byPackage: groupByPackage(entries, root),
  };
}

/** Self time by where the code lives: a node_modules package, the project's own dist, node internals. */
function groupByPackage(entries, root) {
  const groups = new Map();
  for (const entry of entries) {
    if (entry.name === '(idle)') continue;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry.where);
    const group = match
      ? match[1]
      : entry.where.startsWith('node:')
        ? 'node internals'
        : entry.where
          ? entry.where.split('/').slice(0, 3).join('/')
          : entry.name;
    groups.set(group, (groups.get(group) ?? 0) + entry.ms);
  }
  return [...groups].sort((a, b) => b[1] - a[1]).map(([group, ms]) => ({ group, ms }));
}

function shorten(url, root) {
  const path = url.replace(/^file:\/\//, '');
  return root && path.startsWith(root) ? relative(root, path) : path;
}
