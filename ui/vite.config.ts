import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the API runs separately (npm run dev at the repo root, port 3000);
// the dev server forwards API, health, docs and websocket traffic to it.
const backend = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/docs': backend,
      '/ws': { target: backend, ws: true },
    },
  },
});
