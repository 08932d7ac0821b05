// Why an import failed, in the user's language: the workflow engine says why with a code (ImportFailure) next to
// its English text; the common cases are worded here. A workflow wrong somewhere inside keeps the engine's own
// words (they name the node and field), as do parser details appended to a translated sentence.
import { m } from '$lib/i18n';
import type { ImportFailure } from '$lib/workflow/types';

export function importFailureText(failure: { error: string; reason?: ImportFailure }): string {
	const reason = failure.reason;
	if (!reason) return failure.error;
	switch (reason.code) {
		case 'empty':
			return m.import_error_empty();
		case 'too-large':
			return m.import_error_too_large({ sizeMb: reason.sizeMb, limitMb: reason.limitMb });
		case 'not-a-workflow-file':
			return m.import_error_not_workflow_file();
		case 'invalid-json':
			return m.import_error_invalid_json({ detail: reason.detail });
		case 'json-not-a-workflow':
			return m.import_error_json_not_workflow();
		case 'no-embedded-workflow': {
			const sentence = m.import_error_no_workflow({ format: reason.format });
			return reason.detail ? `${sentence} ${reason.detail}` : sentence;
		}
	}
}
