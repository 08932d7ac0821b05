// Every module a source file depends on, as written: static imports and re-exports (type-only ones too — a type
// import is still a dependency of the module), side-effect imports, dynamic `import()` and `import('…')` types.
// TypeScript's own parser reads the code, so strings and comments that look like imports are not taken for them.
import ts from 'typescript';

const SCRIPT_BLOCK = /<script\b[^>]*>([\s\S]*?)<\/script>/g;
/** A dynamic import written in Svelte markup, outside any <script> block. */
const MARKUP_IMPORT = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The module specifiers of one file; `.svelte` files contribute their <script> blocks and markup `import()`s. */
export function importSpecifiers(fileName: string, text: string): string[] {
	if (!fileName.endsWith('.svelte')) return scriptSpecifiers(fileName, text);
	const found: string[] = [];
	for (const block of text.matchAll(SCRIPT_BLOCK)) found.push(...scriptSpecifiers(`${fileName}.ts`, block[1] ?? ''));
	for (const m of text.replace(SCRIPT_BLOCK, '').matchAll(MARKUP_IMPORT)) found.push(m[2] ?? '');
	return found;
}

function scriptSpecifiers(fileName: string, text: string): string[] {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kindOf(fileName));
	const found: string[] = [];
	const literal = (node: ts.Node | undefined) => {
		if (node && ts.isStringLiteralLike(node)) found.push(node.text);
	};
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
		else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
			literal(node.moduleReference.expression);
		else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) literal(node.arguments[0]);
		else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function kindOf(fileName: string): ts.ScriptKind {
	return /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}
