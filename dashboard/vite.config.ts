import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const dashboardRoot = fileURLToPath(new URL('.', import.meta.url));
const apiOrigin = 'http://127.0.0.1:3000';

const apiProxy: Record<string, ProxyOptions> = {
  '/api': { target: apiOrigin },
  '/socket.io': { target: apiOrigin, ws: true },
};

/**
 * The app installs as a PWA and opens with no network: Workbox precaches the app shell and the screens used in
 * the field (desk, portal, verify); the war room's map and charts, never opened on a vaccinator's phone, are
 * cached when first used. Data (today's list, the queue) lives in IndexedDB (dashboard/src/offline/).
 */
const pwa = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: false,
  manifest: {
    name: 'Teeka — vaccination drive',
    short_name: 'Teeka',
    description: 'Vaccinator desk, citizen portal and war room of a vaccination drive.',
    lang: 'en-IN',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#f4f6f8',
    theme_color: '#0d2a47',
    icons: [
      { src: '/icons/teeka-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/teeka-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icons/teeka-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,woff2,png,svg}'],
    // Latin faces of the Devanagari font are never used (Latin text is the system font).
    globIgnores: ['**/WarRoomPage-*', '**/india-map-data*', '**/PlanningPage-*', '**/noto-sans-devanagari-latin*'],
    // The app routes by hash: every navigation is index.html. Server paths are never answered from the cache.
    navigateFallback: 'index.html',
    navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//, /^\/\.well-known\//, /^\/metrics/],
    runtimeCaching: [
      {
        // Hashed file names never change: the first copy is the right one.
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
        handler: 'CacheFirst',
        options: { cacheName: 'teeka-assets', expiration: { maxEntries: 60 } },
      },
    ],
    cleanupOutdatedCaches: true,
    clientsClaim: true,
    skipWaiting: true,
  },
});

export default defineConfig({
  root: dashboardRoot,
  base: '/',
  plugins: [react(), pwa],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: { proxy: apiProxy },
  // `vite preview` serves the built bundle and needs the same backend routes.
  preview: { proxy: apiProxy },
});
