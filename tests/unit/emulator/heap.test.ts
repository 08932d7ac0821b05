// The queue heap must move items exactly like Python's heapq: GET /queue shows the raw heap array.
// Expected arrays were produced by CPython's heapq from the same operations.
import { describe, expect, it } from 'vitest';
import { heapify, heapPop, heapPush } from '../../../tools/comfy-emulator/heap';

type Item = [number, string];
const less = (a: Item, b: Item) => (a[0] !== b[0] ? a[0] < b[0] : a[1] < b[1]);

const pushed: Item[] = [
	[5, 'id19'], [6, 'id83'], [0, 'id09'], [8, 'id12'], [5, 'id74'], [0, 'id64'],
	[3, 'id04'], [1, 'id55'], [6, 'id08'], [3, 'id11'], [8, 'id54'], [0, 'id72']
];

describe('heap', () => {
	it('pushes, pops and re-heapifies into the same arrays as heapq', () => {
		const sut: Item[] = [];
		for (const item of pushed) heapPush(sut, item, less);
		expect(sut).toEqual([
			[0, 'id09'], [1, 'id55'], [0, 'id64'], [5, 'id74'], [3, 'id11'], [0, 'id72'],
			[3, 'id04'], [8, 'id12'], [6, 'id08'], [6, 'id83'], [8, 'id54'], [5, 'id19']
		]);
		expect([heapPop(sut, less), heapPop(sut, less)]).toEqual([[0, 'id09'], [0, 'id64']]);
		expect(sut).toEqual([
			[0, 'id72'], [1, 'id55'], [3, 'id04'], [5, 'id74'], [3, 'id11'], [5, 'id19'], [8, 'id54'], [8, 'id12'], [6, 'id08'], [6, 'id83']
		]);
		sut.splice(3, 1);
		heapify(sut, less);
		expect(sut).toEqual([[0, 'id72'], [1, 'id55'], [3, 'id04'], [3, 'id11'], [5, 'id19'], [8, 'id54'], [8, 'id12'], [6, 'id08'], [6, 'id83']]);
	});

	it('pops nothing from an empty heap', () => {
		expect(heapPop([], less)).toBeUndefined();
	});
});
