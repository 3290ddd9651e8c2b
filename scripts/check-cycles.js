#!/usr/bin/env node
// Fails on an import cycle in src/: between files (type-only imports count: they are layering
// faults even when nothing is circular at run time), and between the feature folders of src/;
// and on an import that breaks a layering rule (LAYER_RULES: src/shop is pure, the solver and the
// HTTP side meet only in src/shop).
//   node scripts/check-cycles.js          # exit 1 and the cycles, or a one-line summary
//   node scripts/check-cycles.js --graph  # also print the folder graph (edge counts)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * Folder imports that may close a cycle between folders, each with its reason: they are left out
 * of the folder graph before cycles are looked for. Keep this short; an entry that no longer
 * matches an import fails the check, so the list cannot go stale.
 */
const ALLOWED_FOLDER_EDGES = new Map([
  [
    'sessions -> jobs',
    'DELETE /session and POST /session/cancel stop the runs of the session (SessionRunsService), while the ' +
      'runs routes are session routes (@SessionRoute); the Nest modules are acyclic: SessionsModule (core) ' +
      '<- JobsModule <- SessionsApiModule',
  ],
]);

/** What a folder of src/ must not import: other folders, or packages (by name prefix). */
const LAYER_RULES = [
  {
    folder: 'shop',
    why: 'the SHOP domain is pure code shared by the API and the solver',
    folders: 'any',
    packages: ['@nestjs/', 'typeorm', 'pg', 'bullmq', 'ioredis', 'highs'],
  },
  {
    folder: 'solver',
    why: 'the solver reads SHOP documents (src/shop), not the API or the database',
    folders: ['models', 'model-store', 'jobs', 'sessions', 'catalog', 'internal'],
  },
  { folder: 'models', why: 'the API hands runs to the job runner; it never calls the solver', folders: ['solver'] },
  { folder: 'model-store', why: 'the model store only persists', folders: ['models', 'solver', 'jobs', 'sessions'] },
];

function sourceFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports (type-only imports and re-exports included). */
const specifiersOf = (file) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName }) => fileName);

/** The project files a file imports (relative specifiers only; `x.js` is `x.ts` in the source). */
function importsOf(file, known) {
  return specifiersOf(file)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
    .filter((path) => known.has(path));
}

/** Strongly connected sets of more than one node (Tarjan), each sorted. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (node) => {
    const entry = { index, low: index, onStack: true };
    index++;
    state.set(node, entry);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (!seen) {
        visit(next);
        entry.low = Math.min(entry.low, state.get(next).low);
      } else if (seen.onStack) entry.low = Math.min(entry.low, seen.index);
    }
    if (entry.low === entry.index) {
      const set = [];
      let member;
      do {
        member = stack.pop();
        state.get(member).onStack = false;
        set.push(member);
      } while (member !== node);
      if (set.length > 1) found.push(set.sort());
    }
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const files = sourceFiles(src);
const known = new Set(files);
const fileGraph = new Map(files.map((file) => [file, new Set(importsOf(file, known))]));

/** `models` for src/models/x.ts; `(root)` for src/main.ts. */
const folderOf = (file) => {
  const parts = relative(src, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
};
const folderEdges = new Map();
for (const [file, targets] of fileGraph) {
  for (const target of targets) {
    const [from, to] = [folderOf(file), folderOf(target)];
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    folderEdges.set(key, [...(folderEdges.get(key) ?? []), `${relative(root, file)} -> ${relative(root, target)}`]);
  }
}
const folderGraph = new Map();
for (const key of folderEdges.keys()) {
  if (ALLOWED_FOLDER_EDGES.has(key)) continue;
  const [from, to] = key.split(' -> ');
  folderGraph.set(from, new Set([...(folderGraph.get(from) ?? []), to]));
}

if (process.argv.includes('--graph')) {
  for (const [key, edges] of [...folderEdges].sort()) console.log(`${key} (${edges.length})`);
}

let failed = false;
for (const rule of LAYER_RULES) {
  for (const [file, targets] of fileGraph) {
    if (folderOf(file) !== rule.folder) continue;
    for (const target of targets) {
      const to = folderOf(target);
      if (to === rule.folder || (rule.folders !== 'any' && !rule.folders.includes(to))) continue;
      failed = true;
      console.error(`layering: ${relative(root, file)} imports ${relative(root, target)} (${rule.why})`);
    }
    for (const name of specifiersOf(file).filter((n) => !n.startsWith('.'))) {
      if (!(rule.packages ?? []).some((p) => name === p || name.startsWith(p.endsWith('/') ? p : `${p}/`))) continue;
      failed = true;
      console.error(`layering: ${relative(root, file)} imports ${name} (${rule.why})`);
    }
  }
}
for (const set of cycles(fileGraph)) {
  failed = true;
  console.error(`import cycle between files: ${set.map((f) => relative(root, f)).join(', ')}`);
}
for (const key of ALLOWED_FOLDER_EDGES.keys()) {
  if (folderEdges.has(key)) continue;
  failed = true;
  console.error(`check-cycles.js: the allowed import ${key} no longer exists; remove it from ALLOWED_FOLDER_EDGES`);
}
for (const set of cycles(folderGraph)) {
  failed = true;
  console.error(`import cycle between folders of src/: ${set.join(', ')}`);
  for (const a of set) {
    for (const b of set) {
      for (const edge of folderEdges.get(`${a} -> ${b}`) ?? []) console.error(`  ${edge}`);
    }
  }
}
if (failed) process.exit(1);
console.log(`check-cycles: no import cycle (${files.length} files, ${folderGraph.size} folders)`);
