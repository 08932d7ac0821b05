// The lora_multiple pair of the corpus and the real server's /object_info, as a stored workflow would hold them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiPrompt, ObjectInfo } from '../../../src/lib/comfy/types';
import type { UiWorkflow } from '../../../src/lib/workflow/types';

const corpus = (path: string) => fileURLToPath(new URL(`../../fixtures/corpus/${path}`, import.meta.url));
const json = <T>(path: string): T => JSON.parse(readFileSync(corpus(path), 'utf8')) as T;

export const objectInfo = json<ObjectInfo>('object_info.json');
export const loraWorkflow = json<UiWorkflow>('workflows/lora__lora_multiple.workflow.json');
export const loraPrompt = json<ApiPrompt>('workflows/lora__lora_multiple.prompt.json');
