// `npm run test:e2e` starts from an empty relay: the e2e worker keeps its Durable Object state in
// .wrangler/e2e-state-<port> (playwright.config.ts), apart from `npm start`'s pairings, and this removes it.
import { existsSync, readdirSync, rmSync } from 'node:fs';

const dir = '.wrangler';
for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
	if (entry.startsWith('e2e-state-')) rmSync(`${dir}/${entry}`, { recursive: true, force: true });
}
