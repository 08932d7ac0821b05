// One emulator and one recording client A for a whole test file, started before and closed after it.
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../../tools/comfy-emulator/server';
import { Recorder } from './recorder';
import { A } from './scenario';

export interface EmulatorFixture {
	sut: Emulator;
	client: Recorder;
}

export function useEmulatorWithClient(options: EmulatorOptions): EmulatorFixture {
	const fixture = {} as EmulatorFixture;
	beforeAll(async () => {
		fixture.sut = await startEmulator(options);
		fixture.client = await Recorder.connect(fixture.sut.url, A);
	});
	afterAll(async () => {
		await fixture.client.close();
		await fixture.sut.close();
	});
	return fixture;
}
