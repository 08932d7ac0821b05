// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		/** Shallow-routing state: the Run screen's full-screen viewer is a history entry, so Back closes it. */
		interface PageState {
			viewer?: number;
		}
	}
}
export {};
