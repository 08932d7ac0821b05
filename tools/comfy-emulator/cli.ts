// `npx tsx tools/comfy-emulator/cli.ts --port 8188 [--host H] [--cors ORIGIN] [--step-ms N] [--preview png]
//  [--fail-nodes A,B] [--drop-after-steps N] [--lose-prompt-answers N]`: the emulator as a standalone server (npm run emulator, npm run demo).
import { parseArgs } from 'node:util';
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
		'lose-prompt-answers': { type: 'string' }
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

const emulator = await startEmulator({
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
process.stdout.write(`ComfyUI emulator (0.3.64) listening on ${emulator.url}${values.cors ? ` (CORS: ${values.cors})` : ''}\n`);

const stop = () => {
	emulator.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
