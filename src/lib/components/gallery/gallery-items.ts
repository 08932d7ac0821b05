// Results as the gallery and viewer walk them: one item per file, newest result first.
import type { ResultFile, ResultRecord } from '$lib/storage';

export interface GalleryItem {
	key: string;
	result: ResultRecord;
	file: ResultFile;
}

export function galleryItems(results: readonly ResultRecord[]): GalleryItem[] {
	return results.flatMap((result) => result.files.map((file, i) => ({ key: `${result.id}:${i}`, result, file })));
}
