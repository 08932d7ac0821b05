// `npm run bench`: every benchmark of the project in one run, one line per figure.
// Each tools/bench/*.bench.ts exports `run(): Promise<string[]>`, measuring its figures side by side in this process
// (targets live here, never in timed tests: the machines are shared and noisy).
// A bench that measures the production build exports `needsBuild = true`: the app is then built once, before any of
// them runs, so the figures are those of the current source (a fresh clone has no build; an old one would mislead).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();

interface Bench {
	run: () => Promise<string[]>;
	needsBuild?: boolean;
}

const benches = await Promise.all(
	files.map(async (file) => ({ file, mod: (await import(pathToFileURL(path.join(dir, file)).href)) as Bench }))
);

if (benches.some((b) => b.mod.needsBuild)) {
	const started = performance.now();
	try {
		execFileSync('npx', ['vite', 'build'], { stdio: 'pipe' });
	} catch (err) {
		const output = (err as { stdout?: Buffer; stderr?: Buffer }).stdout?.toString() ?? '';
		console.error(`vite build failed, no bench run:\n${output}${(err as { stderr?: Buffer }).stderr?.toString() ?? ''}`);
		process.exit(1);
	}
	console.error(`(built the app for the benchmarks in ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

let failed = false;
for (const { file, mod } of benches) {
	try {
		for (const line of await mod.run()) console.log(line);
	} catch (err) {
		failed = true;
		console.error(`${file}: failed: ${err instanceof Error ? err.stack : String(err)}`);
	}
}
process.exit(failed ? 1 : 0);
