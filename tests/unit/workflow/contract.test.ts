// The index exports every entry point of the contract in types.ts with the declared signatures (checked by
// the type checker through the annotation below).
import { describe, expect, it } from 'vitest';
import * as engine from '../../../src/lib/workflow';
import type { WorkflowEngine } from '../../../src/lib/workflow/types';

const contract: WorkflowEngine = {
	importWorkflowFile: engine.importWorkflowFile,
	convertToApi: engine.convertToApi,
	buildForm: engine.buildForm,
	applyCuration: engine.applyCuration,
	applyForm: engine.applyForm,
	validateValues: engine.validateValues,
	nextSeed: engine.nextSeed,
	mapNodeErrors: engine.mapNodeErrors,
	exportApiJson: engine.exportApiJson,
	exportUiWorkflow: engine.exportUiWorkflow
};

describe('workflow engine index', () => {
	it('exports every entry point of the contract as a function', () => {
		for (const [name, fn] of Object.entries(contract)) expect(typeof fn, name).toBe('function');
	});
});
