// Fills a fresh emulator: the input images the corpus workflows load (real PNGs, generated) and two saved
// workflows in the user's library, so LoadImage combos and /userdata look like a used server.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore } from './files';
import { encodePng } from './png';
import { picture } from './pictures';

const SEED_IMAGE_SIDE = 512;
/** Tests start many emulators in one process: generate each seed picture once. */
const seedPngs = new Map<string, Buffer>();

export async function seedFiles(files: FileStore, inputImages: string[]): Promise<void> {
	for (const name of inputImages) {
		let png = seedPngs.get(name);
		if (!png) {
			png = encodePng(picture(`input:${name}`, SEED_IMAGE_SIDE, SEED_IMAGE_SIDE), [], 1);
			seedPngs.set(name, png);
		}
		await files.write(join(files.dir('input'), name), png);
	}
	const workflows = new URL('./assets/workflows/', import.meta.url);
	for (const name of await readdir(workflows)) {
		const bytes = await readFile(new URL(name, workflows));
		await files.write(join(files.userDir, 'workflows', name), bytes);
	}
}
