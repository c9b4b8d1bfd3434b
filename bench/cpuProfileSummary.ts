/**
 * `npx tsx bench/cpuProfileSummary.ts <file.cpuprofile>… [--top 15] [--busy]`: where a process spent its CPU,
 * from profiles written by `node --cpu-prof` or the inspector's Profiler (several are added up): self time
 * by function and by file (a dependency counts as one file: its package), largest first, in ms and as a
 * share of all samples (`--busy`: of the samples that were not idle).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** Self time per key (`keyOf` a sampled node), in ms, largest first; `busy`: idle samples left out. */
export function selfTimes(
  profiles: readonly CpuProfile[],
  keyOf: (node: ProfileNode) => string,
  busy = false,
): SelfTime[] {
  const micros = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    // A sample's time is the delta to the next sample (the first delta is the time before the first sample).
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i + 1] ?? 0;
      const node = byId.get(profile.samples[i]!);
      if (!node || (busy && node.callFrame.functionName === '(idle)')) continue;
      const key = keyOf(node);
      micros.set(key, (micros.get(key) ?? 0) + delta);
      total += delta;
    }
  }
  return [...micros]
    .map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** `node_modules/graphql/execution/execute.js` → `graphql`; this repository's files relative to it. */
export function fileOf(url: string, root = process.cwd()): string {
  if (url === '') return '(native or idle)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return path.startsWith('/') ? relative(root, path) : path;
}

function functionOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (url === '') return `(${functionName || 'anonymous'})`;
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = path.lastIndexOf('/node_modules/');
  const file = modules >= 0 ? path.slice(modules + '/node_modules/'.length) : relative(process.cwd(), path);
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

export function formatSelfTimes(title: string, rows: readonly SelfTime[], top: number): string {
  const lines = [`${title}`, '| self ms | share | where |', '|---:|---:|---|'];
  for (const row of rows.slice(0, top))
    lines.push(`| ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)}% | ${row.name} |`);
  return lines.join('\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const topAt = argv.indexOf('--top');
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 15;
  const busy = argv.includes('--busy');
  const files = argv.filter((arg, i) => !arg.startsWith('--') && i !== topAt + 1);
  if (files.length === 0) {
    console.error('Usage: npx tsx bench/cpuProfileSummary.ts <file.cpuprofile>… [--top 15] [--busy]');
    process.exit(2);
  }
  const profile = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  console.log(formatSelfTimes('By function (self time)', selfTimes(profile, functionOf, busy), top));
  console.log();
  console.log(
    formatSelfTimes(
      'By file or package (self time)',
      selfTimes(profile, (node) => fileOf(node.callFrame.url), busy),
      top,
    ),
  );
}
