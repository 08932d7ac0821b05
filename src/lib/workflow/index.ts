// The workflow engine's public entry points (see types.ts for the contract).
export * from './types';
export { convertToApi } from './convert';
export { buildForm } from './form';
export { applyCuration } from './curation';
export { applyForm } from './apply';
export { validateValues } from './validate';
export { nextSeed } from './seeds';
export { mapNodeErrors } from './node-errors';
export { exportApiJson, exportUiWorkflow } from './export';
export { processDynamicPrompt } from './dynamic-prompts';
export { importWorkflowFile } from './import';
