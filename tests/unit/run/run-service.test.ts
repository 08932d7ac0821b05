import { describe, expect, it } from 'vitest';
import { imageInputValue, inputFileRef, stopRuns } from '../../../src/lib/app/run.service';
import { ComfyError } from '../../../src/lib/comfy/errors';

describe('image input values', () => {
	it('name an uploaded file the way LoadImage expects, tagging folders other than input', () => {
		expect(imageInputValue({ name: 'photo (1).png', subfolder: '', type: 'input' })).toBe('photo (1).png');
		expect(imageInputValue({ name: 'a.png', subfolder: 'pasted', type: 'input' })).toBe('pasted/a.png');
		expect(imageInputValue({ name: 'a.png', subfolder: '', type: 'temp' })).toBe('a.png [temp]');
	});

	it('read back into the file reference /view needs', () => {
		expect(inputFileRef('pasted/a b.png')).toEqual({ filename: 'a b.png', subfolder: 'pasted', type: 'input' });
		expect(inputFileRef('x.png [output]')).toEqual({ filename: 'x.png', subfolder: '', type: 'output' });
	});
});

describe('stopRuns', () => {
	it('deletes only our pending prompts, then interrupts only the running one by id, reporting failures as text', async () => {
		const calls: unknown[] = [];
		const api = {
			interrupt: async (id?: string) => void calls.push(['interrupt', id]),
			deleteQueued: async (ids: string[]) => {
				calls.push(['delete', ids]);
				throw new ComfyError('network', 'server gone');
			}
		};
		const failures = await stopRuns(api, 'run-1', ['p-2', 'p-3']);
		expect(calls).toEqual([['delete', ['p-2', 'p-3']], ['interrupt', 'run-1']]);
		expect(failures).toEqual(['Could not stop: server gone']);
	});

	it('sends nothing when there is nothing of ours to stop', async () => {
		const calls: unknown[] = [];
		const api = { interrupt: async () => void calls.push('i'), deleteQueued: async () => void calls.push('d') };
		expect(await stopRuns(api, null, [])).toEqual([]);
		expect(calls).toEqual([]);
	});
});
