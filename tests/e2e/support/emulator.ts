// Questions a spec asks the emulator directly (from Node, not the page).

/** What the emulator was asked, in order, as `METHOD /path` (its test-only GET /emulator/requests). */
export async function serverRequests(url: string): Promise<string[]> {
	return (await (await fetch(`${url}/emulator/requests`)).json()) as string[];
}
