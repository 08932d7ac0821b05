// Which of the app's locales best fits the phone's languages (navigator.languages, most preferred first). Pure.
// An exact tag wins ("pt-BR"); then the same language with script/region mapped ("zh-Hant-HK" → zh-TW,
// "zh-SG" → zh-CN); then the bare language ("de-AT" → de, "pt-PT" → pt-BR when that is the only Portuguese).

const CHINESE_TRADITIONAL = /^zh-(hant|tw|hk|mo)\b/i;

function language(tag: string): string {
	return tag.split('-')[0].toLowerCase();
}

function candidate(tag: string, available: readonly string[]): string | undefined {
	const exact = available.find((l) => l.toLowerCase() === tag.toLowerCase());
	if (exact) return exact;
	const lang = language(tag);
	if (lang === 'zh') {
		const wanted = CHINESE_TRADITIONAL.test(tag) ? 'zh-tw' : 'zh-cn';
		const chinese = available.find((l) => l.toLowerCase() === wanted);
		if (chinese) return chinese;
	}
	return available.find((l) => language(l) === lang);
}

export function matchLocale(preferred: readonly string[], available: readonly string[], fallback: string): string {
	for (const tag of preferred) {
		if (!tag) continue;
		const found = candidate(tag, available);
		if (found) return found;
	}
	return fallback;
}
