// The emulated folders (input, output, temp, user) in a private temporary directory, with ComfyUI's rules for
// file names: save counters (`prefix_00001_.png`), annotated names (`x.png [output]`) and path confinement.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';

export type FolderType = 'input' | 'output' | 'temp';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

/** True when `child` is `root` or inside it (os.path.commonpath check of the real server). */
export function isInside(root: string, child: string): boolean {
	const rel = relative(root, resolve(child));
	return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/** `"a.png [output]"` → `["a.png", "output"]`; no annotation → `[name, null]`. */
export function annotatedName(name: string): [string, FolderType | null] {
	for (const type of ['output', 'input', 'temp'] as const) {
		// Like the server, strip the bracket and the one character before it (normally a space).
		if (name.endsWith(`[${type}]`)) return [name.slice(0, -(type.length + 3)), type];
	}
	return [name, null];
}

function two(n: number): string {
	return String(n).padStart(2, '0');
}

/** Expands %width%, %height% and the date variables of a filename prefix, as SaveImage does. */
function expandPrefix(prefix: string, width: number, height: number): string {
	if (!prefix.includes('%')) return prefix;
	const now = new Date();
	return prefix
		.replaceAll('%width%', String(width))
		.replaceAll('%height%', String(height))
		.replaceAll('%year%', String(now.getFullYear()))
		.replaceAll('%month%', two(now.getMonth() + 1))
		.replaceAll('%day%', two(now.getDate()))
		.replaceAll('%hour%', two(now.getHours()))
		.replaceAll('%minute%', two(now.getMinutes()))
		.replaceAll('%second%', two(now.getSeconds()));
}

export interface SaveTarget {
	folder: string;
	filename: string;
	counter: number;
	subfolder: string;
}

export class FileStore {
	private constructor(readonly root: string) {}

	static async create(): Promise<FileStore> {
		const root = await mkdtemp(join(tmpdir(), 'comfy-emulator-'));
		const store = new FileStore(root);
		for (const dir of ['input', 'output', 'temp', join('user', 'default', 'workflows')]) {
			await mkdir(join(root, dir), { recursive: true });
		}
		return store;
	}

	dir(type: FolderType): string {
		return join(this.root, type);
	}

	get userDir(): string {
		return join(this.root, 'user', 'default');
	}

	/** Folder for a `type` query value; null for anything but input/output/temp (→ 400 at /view). */
	dirOf(type: string): string | null {
		return type === 'input' || type === 'output' || type === 'temp' ? this.dir(type) : null;
	}

	/** Top-level image files of the input folder, sorted: the LoadImage combo. */
	inputImages(): string[] {
		// Synchronous like the real node's INPUT_TYPES, so /object_info and validation see the same list.
		const entries = readdirSync(this.dir('input'), { withFileTypes: true });
		return entries
			.filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
			.map((e) => e.name)
			.sort();
	}

	/** Whether a LoadImage value (`sub/x.png`, `x.png [output]`) names an existing file. */
	existsAnnotated(value: string): boolean {
		const path = this.annotatedPath(value);
		return path !== null && existsSync(path);
	}

	/** The file a LoadImage value names (input folder unless annotated), or null when it would escape. */
	annotatedPath(value: string): string | null {
		const [name, type] = annotatedName(value);
		const base = this.dir(type ?? 'input');
		const path = join(base, name);
		return isInside(base, path) ? path : null;
	}

	/** Stands for LoadImage's IS_CHANGED (a file hash): changes when the named file is replaced. */
	changeToken(value: string): string {
		const [name, type] = annotatedName(value);
		try {
			const info = statSync(join(this.dir(type ?? 'input'), name));
			return `${info.size}:${info.mtimeMs}`;
		} catch {
			return 'missing';
		}
	}

	/** folder_paths.get_save_image_path: where the next `prefix_NNNNN_.png` goes. Throws outside the folder. */
	async saveTarget(type: FolderType, prefix: string, width: number, height: number): Promise<SaveTarget> {
		const base = this.dir(type);
		const expanded = normalize(expandPrefix(prefix, width, height));
		const subfolder = dirname(expanded) === '.' ? '' : dirname(expanded);
		const filename = basename(expanded);
		const folder = join(base, subfolder);
		if (!isInside(base, folder)) throw new Error('Saving image outside the output folder is not allowed.');
		await mkdir(folder, { recursive: true });
		let counter = 0;
		for (const existing of await readdir(folder)) {
			if (!existing.startsWith(`${filename}_`)) continue;
			const digits = Number.parseInt(existing.slice(filename.length + 1).split('_')[0], 10);
			if (Number.isFinite(digits)) counter = Math.max(counter, digits);
		}
		return { folder, filename, counter: counter + 1, subfolder };
	}

	async write(path: string, bytes: Uint8Array): Promise<void> {
		await mkdir(dirname(path), { recursive: true });
		await writeFile(path, bytes);
	}

	async read(path: string): Promise<Buffer | null> {
		try {
			return await readFile(path);
		} catch {
			return null;
		}
	}

	async isFile(path: string): Promise<boolean> {
		try {
			return (await stat(path)).isFile();
		} catch {
			return false;
		}
	}

	async close(): Promise<void> {
		await rm(this.root, { recursive: true, force: true });
	}
}
