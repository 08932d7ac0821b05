// Messages with a little markup (<code>, <strong>, <em>, <a href="/…">) for {@html}: the message text is ours,
// the values put into it are escaped here, so an origin or a server's words cannot become markup.
export function escapeHtml(value: unknown): string {
	return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes every input, then lets the message place them. */
export function rich<I extends Record<string, unknown>>(message: (inputs: I) => string, inputs: I): string {
	const safe = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, escapeHtml(v)])) as I;
	return message(safe);
}
