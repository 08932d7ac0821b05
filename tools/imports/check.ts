// `npm run check:imports` (part of `npm run check`): fails when our source has an import cycle, or an import of
// ours that resolves to no file. The folders checked are listed once, here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCycles } from './cycles';
import { buildImportGraph } from './graph';

export const CHECKED_FOLDERS = ['src', 'tools', 'durable-objects/src'] as const;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const started = performance.now();
const graph = buildImportGraph(root, CHECKED_FOLDERS);
const cycles = findCycles(graph.edges);
const ms = Math.round(performance.now() - started);

for (const cycle of cycles) console.error(`import cycle (${cycle.files.length} files): ${cycle.path.join(' → ')}`);
for (const miss of graph.unresolved) console.error(`import of ours that resolves to no file: ${miss}`);
if (cycles.length > 0 || graph.unresolved.length > 0) process.exit(1);
console.log(`imports: ${graph.edges.size} files in ${CHECKED_FOLDERS.join(', ')}, no cycles (${ms} ms)`);
