// `npx tsx tools/comfy-emulator/cli.ts --port 8188 [--host H] [--cors ORIGIN] [--step-ms N] [--preview png]
//  [--fail-nodes A,B] [--drop-after-steps N] [--lose-prompt-answers N] [--profile 0.3.64|2026]`: the emulator as a standalone server (npm run emulator, npm run demo).
import { parseArgs } from 'node:util';
import { PROFILES, type ProfileName } from './profile';
import { startEmulator } from './server';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '8188' },
		host: { type: 'string', default: '127.0.0.1' },
		cors: { type: 'string' },
		'step-ms': { type: 'string' },
		preview: { type: 'string' },
		'fail-nodes': { type: 'string' },
		'drop-after-steps': { type: 'string' },
		'lose-prompt-answers': { type: 'string' },
		profile: { type: 'string', default: '0.3.64' }
	}
});

function numberOption(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) {
		process.stderr.write(`--${name} must be a non-negative number, got "${value}"\n`);
		process.exit(2);
	}
	return n;
}

if (!(PROFILES as readonly string[]).includes(values.profile)) {
	process.stderr.write(`--profile must be one of ${PROFILES.join(', ')}, got "${values.profile}"\n`);
	process.exit(2);
}
const profile = values.profile as ProfileName;

const emulator = await startEmulator({
	profile,
	port: numberOption('port', values.port),
	host: values.host,
	cors: values.cors ?? null,
	stepMs: numberOption('step-ms', values['step-ms']),
	previewFormat: values.preview === 'png' ? 'png' : 'jpeg',
	failNodes: values['fail-nodes']?.split(',').filter(Boolean),
	dropSocketAfterSteps: numberOption('drop-after-steps', values['drop-after-steps']),
	losePromptAnswers: numberOption('lose-prompt-answers', values['lose-prompt-answers'])
}).catch((e: unknown) => {
	process.stderr.write(`The emulator could not listen on ${values.host}:${values.port}: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
process.stdout.write(`ComfyUI emulator (${profile === '2026' ? '2026 = ComfyUI 0.33.0' : '0.3.64'}) listening on ${emulator.url}${values.cors ? ` (CORS: ${values.cors})` : ''}\n`);

const stop = () => {
	emulator.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
