// Unit tests read the app's words in English, the base locale, as the screens show them.
import { loadLocale } from '$lib/i18n';

await loadLocale('en');
