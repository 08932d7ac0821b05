// Numbers, sizes, durations and dates in the active language, through Intl. The one place the app formats them.
import { locale } from './index';

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
	return new Intl.NumberFormat(locale, options).format(n);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (1024-based, as storage estimates and files are shown; the unit symbols are the same everywhere). */
export function formatBytes(bytes: number): string {
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit === 0 ? 0 : 1;
	return `${formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${BYTE_UNITS[unit]}`;
}

/** Milliseconds as "4.2 s", "1 min 05 s" style, in the locale's units. */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) {
		return formatNumber(seconds, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: seconds < 10 ? 1 : 0 });
	}
	const minutes = Math.floor(seconds / 60);
	const rest = Math.floor(seconds % 60);
	const min = formatNumber(minutes, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
	return rest ? `${min} ${formatNumber(rest, { style: 'unit', unit: 'second', unitDisplay: 'short' })}` : min;
}

export function formatDateTime(at: number | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
	return new Intl.DateTimeFormat(locale, options).format(at);
}

export function formatTime(at: number | Date): string {
	return formatDateTime(at, { timeStyle: 'short' });
}

/** "5 minutes ago", "yesterday". */
export function formatRelative(at: number, now = Date.now()): string {
	const diff = (at - now) / 1000;
	const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	const abs = Math.abs(diff);
	if (abs < 60) return rtf.format(Math.round(diff), 'second');
	if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
	if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
	return rtf.format(Math.round(diff / 86400), 'day');
}

/** ["a", "b", "c"] → "a, b and c"; as a plain list (`unit`): "a, b, c" (in Japanese "a、b、c"). */
export function formatList(items: readonly string[], type: 'conjunction' | 'unit' = 'conjunction'): string {
	return new Intl.ListFormat(locale, type === 'unit' ? { type, style: 'short' } : { type }).format(items);
}
