import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
// Devanagari glyphs ship with the app: many phones and PCs have no Hindi font. Only the Devanagari faces are ever
// fetched (their unicode-range); Latin text keeps the system font, which comes first in the stack.
import '@fontsource/noto-sans-devanagari/400.css';
import '@fontsource/noto-sans-devanagari/700.css';
import { App } from './App';
import './i18n/i18n';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html is missing the #root element');

/**
 * Chromium lays out text that needs a web font not yet loaded with a system fallback (boxes, without a Hindi
 * font) and does not always redo it once the font arrives; so the Devanagari faces load before the first render.
 * They come from the app's own origin (or the service worker's cache): a short wait, capped in any case.
 */
async function devanagariReady(): Promise<void> {
  const sample = 'टीका';
  const loads = ['400', '700'].map((weight) => document.fonts.load(`${weight} 1em "Noto Sans Devanagari"`, sample));
  await Promise.race([Promise.allSettled(loads), new Promise((resolve) => setTimeout(resolve, 3_000))]);
}

// The service worker (Workbox, generated at build) makes the app open with no network; a new release takes over
// at the next start.
registerSW({ immediate: true });

void devanagariReady().then(() =>
  createRoot(rootElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
