// `npm run i18n`: compiles the message catalogs (see catalog.ts) without Vite, for svelte-check and the benches.
import { buildCatalog } from './catalog';

const parts = await buildCatalog(process.cwd());
console.log(`messages: ${parts.first} keys for the first screen, ${parts.rest} for the other screens`);
