// What a finished job produced, flattened into the files the gallery keeps. Pure.
import type { NodeOutput, OutputFile } from '../../comfy/types';

export type OutputKind = 'image' | 'video' | 'audio';

export interface OutputRef {
	nodeId: string;
	kind: OutputKind;
	file: OutputFile;
	mime: string;
}

const MIME_BY_EXT: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	avif: 'image/avif',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mkv: 'video/x-matroska',
	flac: 'audio/flac',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	m4a: 'audio/mp4'
};

export function mimeOf(file: OutputFile): string {
	if (typeof file.format === 'string' && file.format.includes('/')) return file.format;
	const ext = file.filename.split('.').pop()?.toLowerCase() ?? '';
	return MIME_BY_EXT[ext] ?? 'application/octet-stream';
}

function kindOf(mime: string, listKey: string): OutputKind | null {
	if (mime.startsWith('video/')) return 'video';
	if (mime.startsWith('audio/')) return 'audio';
	if (mime.startsWith('image/')) return 'image';
	if (listKey === 'audio') return 'audio';
	if (listKey === 'video' || listKey === 'gifs') return 'video';
	return null;
}

const FILE_LISTS = ['images', 'gifs', 'video', 'audio'] as const;

function isOutputFile(value: unknown): value is OutputFile {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as OutputFile).filename === 'string' &&
		(value as OutputFile).filename !== ''
	);
}

/**
 * Files of every output node, in node order then list order. A file that appears twice (a cached node re-sent with
 * the same output) is kept once; entries that are not file references are skipped rather than guessed.
 */
export function collectOutputs(outputs: Record<string, NodeOutput | null | undefined>): OutputRef[] {
	const seen = new Set<string>();
	const refs: OutputRef[] = [];
	for (const [nodeId, output] of Object.entries(outputs)) {
		if (!output) continue;
		for (const key of FILE_LISTS) {
			const list = output[key];
			if (!Array.isArray(list)) continue;
			for (const file of list) {
				if (!isOutputFile(file)) continue;
				const mime = mimeOf(file);
				const kind = kindOf(mime, key);
				const identity = `${file.type}/${file.subfolder}/${file.filename}`;
				if (!kind || seen.has(identity)) continue;
				seen.add(identity);
				refs.push({ nodeId, kind, file, mime });
			}
		}
	}
	return refs;
}
