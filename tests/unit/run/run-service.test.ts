import { describe, expect, it } from 'vitest';
import { imageInputValue, inputFileRef, stopRuns } from '../../../src/lib/app/run/run.service';
import { ComfyApi } from '../../../src/lib/comfy/http';
import { startEmulator } from '../../../tools/comfy-emulator/server';

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
	it('sends nothing when there is nothing of ours to stop, and turns failures into banner text', async () => {
		const sut = await startEmulator({ stepMs: 5 });
		const api = new ComfyApi({ baseUrl: sut.url });
		await api.jobs.available();
		const before = sut.requests().length;
		expect(await stopRuns(api, null, [])).toEqual([]);
		expect(sut.requests().length).toBe(before);
		await sut.close();
		const failures = await stopRuns(new ComfyApi({ baseUrl: sut.url, timeoutMs: 2000 }), 'run-1', []);
		expect(failures).toHaveLength(1);
		expect(failures[0]).toMatch(/^Could not stop: Cannot reach /);
	});
});
