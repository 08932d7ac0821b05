// Comfy Pocket is a client-side app: no server rendering. The adapter writes one SPA shell (index.html)
// that serves every route. (Prerendering is off on purpose: it would start, and leak, a workerd per build.)
export const ssr = false;
export const prerender = false;
