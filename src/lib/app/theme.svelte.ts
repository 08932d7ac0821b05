// Light, dark or follow the system. Applied as `data-theme` on <html>; mirrored in localStorage so the first
// paint already has the right colours (IndexedDB answers too late for that; see the inline script in app.html).
import { getSetting, setSetting } from '$lib/storage';

export type ThemeChoice = 'light' | 'dark' | 'system';
export const THEME_KEY = 'theme';
const THEME_COLORS = { light: '#f6f7f9', dark: '#111318' } as const;

function isChoice(value: unknown): value is ThemeChoice {
	return value === 'light' || value === 'dark' || value === 'system';
}

class Theme {
	choice = $state<ThemeChoice>('system');

	async load(): Promise<void> {
		const stored = await getSetting<unknown>(THEME_KEY).catch(() => undefined);
		if (isChoice(stored)) this.choice = stored;
		this.apply();
		matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.apply());
	}

	async set(choice: ThemeChoice): Promise<void> {
		this.choice = choice;
		this.apply();
		try {
			localStorage.setItem(THEME_KEY, choice);
		} catch {
			// Storage disabled (private mode): the choice still holds for this visit.
		}
		// localStorage already holds the choice; a failed IndexedDB write only loses it from backups.
		await setSetting(THEME_KEY, choice).catch(() => undefined);
	}

	/** The theme actually shown. */
	get resolved(): 'light' | 'dark' {
		if (this.choice !== 'system') return this.choice;
		return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
	}

	apply(): void {
		const resolved = this.resolved;
		document.documentElement.dataset.theme = resolved;
		document.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLORS[resolved]);
	}
}

export const theme = new Theme();
