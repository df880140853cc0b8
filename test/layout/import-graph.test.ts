/**
 * The layers of src/, read from the imports with the TypeScript compiler: no cycle between the
 * folders of src/ (a top-level folder is one node, its sub-folders part of it; a file directly in
 * src/ is a node of its own), and nothing outside src/smtp/ reaching into the SMTP front but
 * through its index.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../src/config/config.js';

/** One import, export-from or dynamic import: project-relative paths of the file and of the file it names. */
interface Import {
  from: string;
  to: string;
}

/** Folder -> folder it imports -> the imports behind that edge. */
type Graph = Map<string, Map<string, Import[]>>;

function importsOf(root: string): Import[] {
  const imports: Import[] = [];
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts')) continue;
    const file = join(root, name);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      imports.push({ from: projectPath(file), to: projectPath(target) });
    }
  }
  return imports;
}

function projectPath(file: string): string {
  return relative(PROJECT_ROOT, file).split(sep).join('/');
}

/** `src/charter/` for src/charter/generated/x.ts; `src/services.ts` for itself. */
function nodeOf(path: string): string {
  const [top, first, ...rest] = path.split('/');
  return rest.length === 0 ? path : `${top}/${first}/`;
}

function graphOf(imports: readonly Import[]): Graph {
  const graph: Graph = new Map();
  for (const i of imports) {
    const [from, to] = [nodeOf(i.from), nodeOf(i.to)];
    if (from === to) continue;
    const edges = graph.get(from) ?? new Map<string, Import[]>();
    edges.set(to, [...(edges.get(to) ?? []), i]);
    graph.set(from, edges);
  }
  return graph;
}

/** One cycle through each strongly connected group of nodes (Tarjan), as the nodes in order, the first again at the end. */
export function cyclesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === node ? undefined : stack.pop()) group.push(member);
    if (group.length > 1) groups.push(group);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.map((group) => shortestCycle(graph, group.sort()));
}

/** The shortest way from the group's first node back to it, inside the group (breadth first). */
function shortestCycle(graph: Graph, group: string[]): string[] {
  const start = group[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!group.includes(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === start) {
        const way = [node];
        while (way[0] !== start) way.unshift(cameFrom.get(way[0] as string) as string);
        return [...way, start];
      }
      queue.push(next);
    }
  }
  throw new Error(`no cycle through ${start}`);
}

function described(graph: Graph, cycle: string[]): string {
  const hops = cycle.slice(1).map((to, i) => {
    const from = cycle[i] as string;
    const behind = graph.get(from)?.get(to) ?? [];
    return `  ${from} -> ${to}: ${behind.map((i) => `${i.from} imports ${i.to}`).join('; ')}`;
  });
  return [cycle.join(' -> '), ...hops].join('\n');
}

describe('the import graph of src/', () => {
  const imports = importsOf(join(PROJECT_ROOT, 'src'));
  const graph = graphOf(imports);

  it('has no cycle between folders', () => {
    assert.ok(graph.size > 10, `read ${graph.size} folders' imports`);
    const cycles = cyclesOf(graph);
    assert.deepEqual(cycles, [], `cycles between the folders of src/:\n${cycles.map((c) => described(graph, c)).join('\n')}`);
  });

  it('has nothing outside src/smtp/ import the SMTP front but through its index', () => {
    const inside = imports.filter((i) => i.to.startsWith('src/smtp/') && !i.from.startsWith('src/smtp/') && i.to !== 'src/smtp/index.ts');
    assert.deepEqual(inside, []);
  });
});

describe('finding cycles', () => {
  const graph = (edges: Array<[string, string]>): Graph => {
    const g: Graph = new Map();
    for (const [from, to] of edges) g.set(from, (g.get(from) ?? new Map()).set(to, []));
    return g;
  };

  it('names each cycle once, by its shortest way round', () => {
    const cycles = cyclesOf(
      graph([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['b', 'a'],
        ['c', 'd'],
        ['d', 'e'],
        ['e', 'd'],
        ['f', 'a'],
      ]),
    );
    assert.deepEqual(cycles, [
      ['d', 'e', 'd'],
      ['a', 'b', 'a'],
    ]);
  });

  it('finds none in a graph that only goes one way', () => {
    assert.deepEqual(
      cyclesOf(
        graph([
          ['a', 'b'],
          ['b', 'c'],
          ['a', 'c'],
          ['d', 'c'],
        ]),
      ),
      [],
    );
  });
});
