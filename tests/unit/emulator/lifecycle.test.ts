// Starting and stopping: a taken port is a clear rejection, close() removes the emulator's folders and is idempotent.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../../tools/comfy-emulator/server';

describe('emulator lifecycle', () => {
	it('rejects with EADDRINUSE on a taken port, and close() removes the data folder once', async () => {
		const sut = await startEmulator({ stepMs: 0 });
		await expect(startEmulator({ port: sut.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
		expect(existsSync(sut.dataDir)).toBe(true);
		await sut.close();
		await sut.close();
		expect(existsSync(sut.dataDir)).toBe(false);
		await expect(fetch(`${sut.url}/system_stats`)).rejects.toThrow();
	});
});
