// Files: GET /view, POST /upload/image and /upload/mask, and the userdata listing/reading the app's library uses (§1.7, §1.8, §1.10).
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, normalize, relative, resolve } from 'node:path';
import type { UploadResult } from '../../../src/lib/comfy/types';
import type { EmulatorCore } from '../core';
import { annotatedName, isInside } from '../files';
import { saveMaskedImage } from '../mask';
import { empty, internalError, json, text, type Request, type Response, type Router } from './router';

const MIME: Record<string, string> = {
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
	'.json': 'application/json',
	'.txt': 'text/plain',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm',
	'.flac': 'audio/flac',
	'.mp3': 'audio/mpeg',
	'.wav': 'audio/x-wav'
};

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Serves bytes like aiohttp's FileResponse: Content-Disposition, MIME from the extension, single-range requests. */
function fileResponse(bytes: Buffer, filename: string, range: string | undefined, disposition = true): Response {
	const headers: Record<string, string> = {
		'Content-Type': MIME[extname(filename).toLowerCase()] ?? 'application/octet-stream',
		'Accept-Ranges': 'bytes'
	};
	if (disposition) headers['Content-Disposition'] = `filename="${filename}"`;
	const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
	if (!m || (m[1] === '' && m[2] === '')) return { status: 200, headers, body: bytes };
	const start = m[1] === '' ? Math.max(0, bytes.length - Number(m[2])) : Number(m[1]);
	const end = m[1] !== '' && m[2] !== '' ? Math.min(Number(m[2]), bytes.length - 1) : bytes.length - 1;
	if (start >= bytes.length || start > end) {
		return { status: 416, headers: { 'Content-Range': `bytes */${bytes.length}` }, body: '' };
	}
	headers['Content-Range'] = `bytes ${start}-${end}/${bytes.length}`;
	return { status: 206, headers, body: bytes.subarray(start, end + 1) };
}

async function view(core: EmulatorCore, req: Request): Promise<Response> {
	const query = req.url.searchParams;
	const requested = query.get('filename');
	if (requested === null) return empty(404);
	const [name, annotated] = annotatedName(requested);
	if (!name) return empty(400);
	if (name.startsWith('/') || name.includes('..')) return empty(400);
	let dir = annotated ? core.files.dir(annotated) : core.files.dirOf(query.get('type') ?? 'output');
	if (dir === null) return empty(400);
	const subfolder = query.get('subfolder');
	if (subfolder !== null) {
		// resolve, like os.path.join, lets an absolute subfolder replace the folder, which the check then refuses.
		const full = resolve(dir, subfolder);
		if (!isInside(dir, full)) return empty(403);
		dir = full;
	}
	const filename = basename(name);
	const path = join(dir, filename);
	const bytes = (await core.files.isFile(path)) ? await core.files.read(path) : null;
	if (!bytes) return empty(404);
	// `preview=webp;90` and `channel=rgb|a` re-encode on the real server; the emulator has no WebP/JPEG encoder and
	// serves the stored file unchanged, with its own Content-Type (documented in the emulator README).
	const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
	const response = fileResponse(bytes, filename, range);
	// Newer servers add nosniff to the files they serve as they are (not to re-encoded previews; captures-2026 view_*).
	if (core.profile.modern && response.status !== 416 && !query.has('preview')) response.headers = { 'X-Content-Type-Options': 'nosniff', ...response.headers };
	return response;
}

/** Writes an accepted upload to `path`; /upload/mask composites instead of copying. */
type SaveUpload = (core: EmulatorCore, form: FormData, bytes: Uint8Array, path: string) => Promise<void>;

const copyUpload: SaveUpload = (core, _, bytes, path) => core.files.write(path, bytes);

/** The server parses original_ref with json.loads and lets a bad one raise (→ 500). */
const maskUpload: SaveUpload = async (core, form, bytes, path) => {
	const ref: unknown = JSON.parse(String(form.get('original_ref')));
	await saveMaskedImage(core.files, typeof ref === 'object' && ref !== null ? ref : {}, bytes, path);
};

async function upload(core: EmulatorCore, req: Request, save: SaveUpload): Promise<Response> {
	const contentType = String(req.headers['content-type'] ?? '');
	let form: FormData;
	try {
		const body = await req.body();
		form = await new globalThis.Request('http://emulator/upload', {
			method: 'POST',
			headers: { 'content-type': contentType },
			body: new Uint8Array(body)
		}).formData();
	} catch {
		return empty(400);
	}
	const image = form.get('image');
	if (!(image instanceof Blob) || !('name' in image) || !image.name) return empty(400);
	const typeField = form.get('type');
	const type = typeof typeField === 'string' && typeField !== '' ? typeField : 'input';
	const base = core.files.dirOf(type);
	if (base === null) return internalError();
	const subfolder = String(form.get('subfolder') ?? '');
	const folder = resolve(base, normalize(subfolder || '.'));
	const original = String(image.name);
	let filename = original;
	if (!isInside(base, resolve(folder, filename))) return empty(400);
	const bytes = new Uint8Array(await image.arrayBuffer());
	const overwrite = form.get('overwrite');
	let duplicate = false;
	if (overwrite !== 'true' && overwrite !== '1') {
		const ext = extname(original);
		const stem = original.slice(0, original.length - ext.length);
		for (let i = 1; await core.files.isFile(join(folder, filename)); i++) {
			const existing = await core.files.read(join(folder, filename));
			if (existing && sha256(existing) === sha256(bytes)) {
				duplicate = true;
				break;
			}
			filename = `${stem} (${i})${ext}`;
		}
	}
	if (!duplicate) {
		try {
			await save(core, form, bytes, join(folder, filename));
		} catch {
			return internalError();
		}
	}
	return json({ name: filename, subfolder, type } satisfies UploadResult);
}

async function listFiles(dir: string, recurse: boolean): Promise<string[]> {
	const out: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isFile()) out.push(path);
		else if (recurse && entry.isDirectory()) out.push(...(await listFiles(path, true)));
	}
	return out;
}

async function userdataList(core: EmulatorCore, req: Request): Promise<Response> {
	const query = req.url.searchParams;
	const directory = query.get('dir') ?? '';
	if (!directory) return text('Directory not provided', 400);
	const root = core.files.userDir;
	const path = resolve(root, directory);
	if (!isInside(root, path)) return text('Invalid directory', 403);
	const info = await stat(path).catch(() => null);
	if (!info?.isDirectory()) return text('Directory not found', 404);
	const flag = (name: string) => (query.get(name) ?? '').toLowerCase() === 'true';
	const results = [];
	for (const file of await listFiles(path, flag('recurse'))) {
		const rel = relative(path, file).split('\\').join('/');
		if (flag('full_info')) {
			const s = await stat(file);
			results.push({ path: rel, size: s.size, modified: Math.floor(s.mtimeMs), created: Math.floor(s.birthtimeMs || s.ctimeMs) });
		} else {
			results.push(flag('split') ? [rel, ...rel.split('/')] : rel);
		}
	}
	return json(results);
}

async function userdataGet(core: EmulatorCore, req: Request): Promise<Response> {
	const root = core.files.userDir;
	const path = resolve(root, req.params.file);
	if (!isInside(root, path) || path === root) return empty(403);
	const bytes = (await core.files.isFile(path)) ? await core.files.read(path) : null;
	if (!bytes) return empty(404);
	return fileResponse(bytes, basename(path), undefined, false);
}

export function fileRoutes(router: Router, core: EmulatorCore): void {
	router.add('GET', '/view', (req) => view(core, req));
	router.add('POST', '/upload/image', (req) => upload(core, req, copyUpload));
	router.add('POST', '/upload/mask', (req) => upload(core, req, maskUpload));
	router.add('GET', '/userdata', (req) => userdataList(core, req));
	router.add('GET', '/userdata/{file}', (req) => userdataGet(core, req));
}
