// `npm run convert -- FILE [--object-info FILE | --server URL] [--allow-schema-changes]`: any importable file → API
// prompt JSON on stdout. Run as a script it exits 0 on success, 1 when the file cannot be converted, 2 on a usage
// error, 3 when saved values do not fit today's nodes (schema-changed) and --allow-schema-changes was not given.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ObjectInfo } from '../src/lib/comfy/types';
import { convertToApi } from '../src/lib/workflow/convert';
import { exportApiJson } from '../src/lib/workflow/export';
import { importWorkflowFile } from '../src/lib/workflow/import';

export const HELP = `Usage: npm run convert -- FILE [--object-info FILE | --server URL] [--allow-schema-changes]

Prints the ComfyUI API-format prompt of FILE on stdout. FILE may be a workflow or API prompt JSON, or a PNG,
WebP, FLAC, MP4 or WebM file saved by ComfyUI.

Converting a UI (editor) workflow needs the node definitions of the server that will run it:
  --object-info FILE   a saved copy of that server's GET /object_info
  --server URL         fetch /object_info from a running ComfyUI (e.g. http://192.168.1.20:8188)
With neither, API-format files still work; a UI workflow is refused, except that a media file that also
embeds the prompt it was made with prints that prompt (noted on stderr).

Warnings (values defaulted, values moved to the inputs they fit) go to stderr. When a node's saved values do
not fit today's definition of that node in one clear way, nothing is printed unless --allow-schema-changes is
given (then the values go out by position, as the ComfyUI frontend would send them).
Exit status: 0 printed, 1 the file could not be converted, 2 wrong usage, 3 saved values do not fit today's nodes.`;

export interface ConvertIo {
	out: (text: string) => void;
	err: (text: string) => void;
	readFile: (file: string) => Promise<Uint8Array>;
	fetch: typeof fetch;
}

interface Args {
	file?: string;
	objectInfo?: string;
	server?: string;
	help: boolean;
	allowSchemaChanges: boolean;
}

function parseArgs(argv: string[]): Args | string {
	const args: Args = { help: false, allowSchemaChanges: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--help' || a === '-h') args.help = true;
		else if (a === '--allow-schema-changes') args.allowSchemaChanges = true;
		else if (a === '--object-info' || a === '--server') {
			const v = argv[++i];
			if (!v) return `${a} needs a value.`;
			if (a === '--object-info') args.objectInfo = v;
			else args.server = v;
		} else if (a.startsWith('--')) return `Unknown option ${a}.`;
		else if (args.file) return `Only one FILE, please (got "${args.file}" and "${a}").`;
		else args.file = a;
	}
	if (args.objectInfo && args.server) return 'Give --object-info or --server, not both.';
	return args;
}

async function loadObjectInfo(args: Args, io: ConvertIo): Promise<ObjectInfo | string | undefined> {
	if (args.objectInfo) {
		try {
			const info: unknown = JSON.parse(new TextDecoder().decode(await io.readFile(args.objectInfo)));
			if (!info || typeof info !== 'object' || Array.isArray(info)) return `${args.objectInfo} is not an /object_info JSON object.`;
			return info as ObjectInfo;
		} catch (err) {
			return `Cannot read ${args.objectInfo}: ${err instanceof Error ? err.message : String(err)}`;
		}
	}
	if (args.server) {
		const url = `${args.server.replace(/\/+$/, '')}/object_info`;
		try {
			const res = await io.fetch(url, { signal: AbortSignal.timeout(60_000) });
			if (!res.ok) return `${url} answered ${res.status} ${res.statusText}.`;
			return (await res.json()) as ObjectInfo;
		} catch (err) {
			return `Cannot fetch ${url}: ${err instanceof Error ? err.message : String(err)}`;
		}
	}
	return undefined;
}

/** The whole command; returns the exit status. */
export async function runConvert(argv: string[], io: ConvertIo): Promise<number> {
	const args = parseArgs(argv);
	if (typeof args === 'string') {
		io.err(`${args}\n\n${HELP}\n`);
		return 2;
	}
	if (args.help || !args.file) {
		(args.help ? io.out : io.err)(`${HELP}\n`);
		return args.help ? 0 : 2;
	}
	let bytes: Uint8Array;
	try {
		bytes = await io.readFile(args.file);
	} catch (err) {
		io.err(`Cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}\n`);
		return 1;
	}
	const imported = await importWorkflowFile(bytes, args.file);
	if (!imported.ok) {
		io.err(`${imported.error}\n`);
		return 1;
	}
	for (const w of imported.warnings) io.err(`warning: ${w}\n`);
	if (!imported.workflow) {
		io.out(`${exportApiJson(imported.prompt ?? {})}\n`);
		return 0;
	}
	const info = await loadObjectInfo(args, io);
	if (typeof info === 'string') {
		io.err(`${info}\n`);
		return 1;
	}
	if (!info) {
		if (imported.prompt) {
			io.err('note: printing the prompt embedded in the file; pass --object-info or --server to convert its workflow.\n');
			io.out(`${exportApiJson(imported.prompt)}\n`);
			return 0;
		}
		io.err(`${args.file} is a UI workflow: converting it needs the server's node definitions. Pass --object-info FILE or --server URL (see --help).\n`);
		return 1;
	}
	const result = convertToApi(imported.workflow, info);
	for (const issue of result.issues) io.err(`${issue.severity}: ${issue.message}\n`);
	if (!result.ok) {
		io.err(`${result.error}\n`);
		return 1;
	}
	const changed = result.issues.filter((i) => i.kind === 'schema-changed');
	if (changed.length > 0 && !args.allowSchemaChanges) {
		const list = changed.map((i) => `"${i.nodeTitle}" (node ${i.nodeId}: ${(i.inputNames ?? []).join(', ') || 'its settings'})`).join('; ');
		io.err(`Not printed: ${list} changed since the workflow was saved, so some values may be one field off. Open the workflow in ComfyUI and save it again, or pass --allow-schema-changes to print the values by position.\n`);
		return 3;
	}
	io.out(`${exportApiJson(result.prompt)}\n`);
	return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const code = await runConvert(process.argv.slice(2), {
		out: (t) => process.stdout.write(t),
		err: (t) => process.stderr.write(t),
		readFile: async (f) => new Uint8Array(await readFile(f)),
		fetch
	});
	process.exitCode = code;
}
