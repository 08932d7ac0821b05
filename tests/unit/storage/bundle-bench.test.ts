import { describe, expect, it } from 'vitest';
import { linkedAssets, routeAssets } from '../../../tools/bench/bundle.bench';

describe('first-screen bundle measurement', () => {
	it('collects the scripts and styles index.html links, once each', () => {
		const html = `<link href="/_app/immutable/entry/start.A.js" rel="modulepreload">
			<link href="/_app/immutable/chunks/B.js" rel="modulepreload"><link href="/_app/immutable/chunks/B.js" rel="modulepreload">
			<link href="/_app/immutable/assets/0.C.css" rel="stylesheet"><link rel="icon" href="/favicon.svg">`;
		expect(linkedAssets(html)).toEqual(['_app/immutable/entry/start.A.js', '_app/immutable/chunks/B.js', '_app/immutable/assets/0.C.css']);
	});

	it('adds the page node of the route and everything Vite preloads with it', () => {
		const app =
			'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["../nodes/0.a.js","../chunks/x.js","../nodes/2.b.js","../chunks/y.js","../assets/2.c.css"])))=>i.map(i=>d[i]);' +
			'()=>T(()=>import(`../nodes/0.a.js`),__vite__mapDeps([0,1]),import.meta.url),()=>T(()=>import(`../nodes/2.b.js`),__vite__mapDeps([2,1,3,4]),import.meta.url)' +
			'const dictionary={"/":[2],"/history":[3]}';
		expect(routeAssets(app, '_app/immutable/entry/app.z.js', '/')).toEqual([
			'_app/immutable/nodes/2.b.js',
			'_app/immutable/chunks/x.js',
			'_app/immutable/chunks/y.js',
			'_app/immutable/assets/2.c.css'
		]);
		expect(() => routeAssets(app, '_app/immutable/entry/app.z.js', '/nowhere')).toThrow(/not found/);
	});
});
