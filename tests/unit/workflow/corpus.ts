// Loading helpers for the corpus fixtures (tests/fixtures/corpus), shared by the workflow engine's tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiPrompt, ObjectInfo } from '../../../src/lib/comfy/types';
import type { UiWorkflow } from '../../../src/lib/workflow/types';

export const corpusDir = path.resolve(__dirname, '../../fixtures/corpus');
export const ownFixtures = path.resolve(__dirname, '../../fixtures/workflows');

export const objectInfo = JSON.parse(readFileSync(path.join(corpusDir, 'object_info.json'), 'utf8')) as ObjectInfo;

export function corpusWorkflow(name: string): UiWorkflow {
	return JSON.parse(readFileSync(path.join(corpusDir, 'workflows', `${name}.workflow.json`), 'utf8')) as UiWorkflow;
}

export function corpusPrompt(name: string): ApiPrompt {
	return JSON.parse(readFileSync(path.join(corpusDir, 'workflows', `${name}.prompt.json`), 'utf8')) as ApiPrompt;
}

export function fixture<T = UiWorkflow>(name: string): T {
	return JSON.parse(readFileSync(path.join(ownFixtures, name), 'utf8')) as T;
}

export function bytesOf(file: string): Uint8Array {
	return new Uint8Array(readFileSync(file));
}
