// Runs axe-core (injected from node_modules, no @axe-core/playwright: that needs Node 22) in the page with its
// default WCAG 2.0/2.1 A and AA rules plus target-size (WCAG 2.2 2.5.8, 24×24 CSS px), and fails with every
// violation's rule, impact, target selectors and failure summary.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const AXE_SOURCE = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Checks the page as a user lands on it: scrolled to the top. target-size counts a control partly under the fixed
 * Generate bar as obscured, so the scroll position a journey happened to leave (a field cut by the bar's edge) would
 * decide the result; from the top the page is judged the same way on every run.
 */
export async function expectNoA11yViolations(page: Page, label: string): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
	const violations = await page.evaluate(async () => {
		const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
			rules: { 'target-size': { enabled: true } }
		});
		return result.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary }))
		}));
	});
	const report = violations
		.map((v) =>
			[`${v.id} (${v.impact}): ${v.help}`, ...v.nodes.map((n) => `  ${JSON.stringify(n.target)}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`)].join('\n')
		)
		.join('\n');
	expect(violations, `${label}: ${violations.length} accessibility violation(s)\n${report}`).toEqual([]);
}
