import { describe, expect, it } from 'vitest';
import { galleryItems } from '../../../src/lib/components/gallery/gallery-items';
import type { ResultFile, ResultRecord } from '../../../src/lib/storage';

const file = (filename: string, nodeId: string): ResultFile => ({ kind: 'image', mime: 'image/png', blob: new Blob([filename]), filename, nodeId });
const result = (id: string, files: ResultFile[]): ResultRecord => ({
	id,
	workflowId: 'w',
	promptId: id,
	createdAt: 0,
	serverId: 's',
	params: { values: {}, prompt: {} },
	files
});

describe('galleryItems', () => {
	const results = [result('r2', [file('a.png', '9'), file('b.png', '12'), file('c.png', '5:3')]), result('r1', [file('d.png', '9'), file('e.png', '5:3')])];

	it('walks results newest first, each in the order its files were saved', () => {
		expect(galleryItems(results).map((i) => i.file.filename)).toEqual(['a.png', 'b.png', 'c.png', 'd.png', 'e.png']);
	});

	it("puts an App Mode's outputs first within each result, in the App Mode's order", () => {
		expect(galleryItems(results, ['5:3', '12']).map((i) => i.file.filename)).toEqual(['c.png', 'b.png', 'a.png', 'e.png', 'd.png']);
		// Keys stay those of the saved positions, so the viewer and deletion find the same files.
		expect(galleryItems(results, ['5:3'])[0].key).toBe('r2:2');
	});
});
