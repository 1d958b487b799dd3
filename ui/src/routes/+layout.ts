// SPA mode: everything renders in the browser; the server falls back to index.html.
export const ssr = false;
export const prerender = false;
