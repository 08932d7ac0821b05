// `npm run bench`: every benchmark of the project in one run, one line per figure.
// Each tools/bench/*.bench.ts exports `run(): Promise<string[]>`, measuring its figures side by side in this process
// (targets live here, never in timed tests: the machines are shared and noisy).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
	.sort();

let failed = false;
for (const file of files) {
	try {
		const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run: () => Promise<string[]> };
		for (const line of await mod.run()) console.log(line);
	} catch (err) {
		failed = true;
		console.error(`${file}: failed: ${err instanceof Error ? err.stack : String(err)}`);
	}
}
process.exit(failed ? 1 : 0);
