// Results as the gallery and viewer walk them: one item per file, newest result first.
import type { ResultFile, ResultRecord } from '$lib/storage';

export interface GalleryItem {
	key: string;
	result: ResultRecord;
	file: ResultFile;
}

/**
 * `firstNodes`: output node ids whose files lead within each result, in that order (an App Mode's `outputs`);
 * the other files follow in the order they were saved.
 */
export function galleryItems(results: readonly ResultRecord[], firstNodes: readonly string[] = []): GalleryItem[] {
	const rank = (file: ResultFile): number => {
		const i = firstNodes.indexOf(file.nodeId);
		return i < 0 ? firstNodes.length : i;
	};
	return results.flatMap((result) =>
		result.files
			.map((file, i) => ({ key: `${result.id}:${i}`, result, file }))
			.sort((a, b) => rank(a.file) - rank(b.file))
	);
}
