/**
 * Not a scenario: what a V8 heap snapshot holds, by constructor (bench/gatewayMemory.ts --snapshot writes
 * one of the gateway; `node --heapsnapshot-signal` or `v8.writeHeapSnapshot()` any other).
 *
 *   npx tsx bench/heapSnapshotSummary.ts <file.heapsnapshot> [--top 25] [--count <Constructor>]…
 *     [--retainers <Constructor>]…
 *
 * Prints the constructors (objects) and node kinds (strings, code, arrays) holding the most memory by their
 * own size, with how many there are; `--count X` prints how many objects of constructor X there are even when
 * they are not in the top (a cheap way to count copies: `--count Schema --count GraphQLSchema`);
 * `--retainers X` what holds the objects of constructor (or kind, `(string)`) X: the constructor and
 * property of each object referring to one, by count. Follow the chain by asking again for the holder.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

function main(argv: readonly string[]): void {
  const files: string[] = [];
  const counted: string[] = [];
  const retained: string[] = [];
  let top = 25;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (argv[i] === '--count') counted.push(argv[++i]!);
    else if (argv[i] === '--retainers') retained.push(argv[++i]!);
    else files.push(argv[i]!);
  }
  if (files.length !== 1 || !(top >= 0))
    throw new Error('usage: heapSnapshotSummary.ts <file.heapsnapshot> [--top 25] [--count <Constructor>]…');
  const snapshot = JSON.parse(readFileSync(files[0]!, 'utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName = new Map<string, { size: number; count: number }>();
  let total = 0;
  // Objects by constructor; everything else (strings, code, arrays, hidden) by its kind.
  const keyOf = (i: number): string => {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    return type === 'object' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
  };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const size = snapshot.nodes[i + sizeAt]!;
    total += size;
    const key = keyOf(i);
    const entry = byName.get(key) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    byName.set(key, entry);
  }
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(`${files[0]}: ${mb(total)} MB in ${snapshot.nodes.length / width} nodes`);
  const sorted = [...byName].sort(([, a], [, b]) => b.size - a.size);
  for (const [name, { size, count }] of sorted.slice(0, top))
    console.log(`${mb(size).padStart(8)} MB ${String(count).padStart(9)}  ${name.slice(0, 90)}`);
  for (const name of counted) {
    const entry = byName.get(name);
    console.log(`${name}: ${entry?.count ?? 0} objects, ${mb(entry?.size ?? 0)} MB own size`);
  }
  for (const name of retained) retainersOf(snapshot, name, keyOf);
}

/** Who refers to the objects of `name`: holder constructor and property (or element), by count. */
function retainersOf(snapshot: Snapshot, name: string, keyOf: (node: number) => string): void {
  const { node_fields, edge_fields, edge_types } = snapshot.snapshot.meta;
  const width = node_fields.length;
  const edgeWidth = edge_fields.length;
  const countAt = node_fields.indexOf('edge_count');
  const edgeTypeAt = edge_fields.indexOf('type');
  const edgeNameAt = edge_fields.indexOf('name_or_index');
  const toAt = edge_fields.indexOf('to_node');
  const holders = new Map<string, number>();
  let edge = 0;
  for (let from = 0; from < snapshot.nodes.length; from += width) {
    const count = snapshot.nodes[from + countAt]!;
    for (let e = 0; e < count; e++, edge += edgeWidth) {
      const to = snapshot.edges[edge + toAt]!;
      if (keyOf(to) !== name) continue;
      const kind = edge_types[0][snapshot.edges[edge + edgeTypeAt]!]!;
      if (kind === 'weak') continue;
      const nameOrIndex = snapshot.edges[edge + edgeNameAt]!;
      const property =
        kind === 'element' || kind === 'hidden'
          ? '[]'
          : (snapshot.strings[nameOrIndex] ?? String(nameOrIndex));
      const holder = `${keyOf(from)}.${property}`;
      holders.set(holder, (holders.get(holder) ?? 0) + 1);
    }
  }
  console.log(`held ${name} by:`);
  for (const [holder, count] of [...holders].sort(([, a], [, b]) => b - a).slice(0, 15))
    console.log(`${String(count).padStart(9)}  ${holder.slice(0, 100)}`);
}

main(process.argv.slice(2));
