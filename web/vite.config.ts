// One Vite build for the three browser apps: the citizen portal (/), the staff console (/console/)
// and the city operations big screen (/screen/). The backend serves web/dist/<app>/index.html and
// /assets/* from web/dist/assets.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Logger, type Plugin } from 'vite';
import type { OutputBundle, OutputChunk } from 'rollup';
import react from '@vitejs/plugin-react';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Keeps the libraries every app needs in a few long-cached chunks; heavy ones load with the pages that use them. */
function chunkFor(id: string): string | undefined {
  const file = id.replace(/\\/g, '/');
  // ECharts' setup module goes with ECharts: EChart.tsx imports it dynamically, so a chart's page
  // fetches it and the rest of web/shared stays light.
  if (file.endsWith('/web/shared/echarts.ts')) return 'echarts';
  if (file.includes('/web/shared/')) return 'shared';
  if (!id.includes('node_modules')) return undefined;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id.replace(/\\/g, '/'));
  const pkg = m?.[1] ?? '';
  if (pkg === 'echarts' || pkg === 'zrender') return 'echarts';
  // antd is left to rollup on purpose: grouped into one chunk it took every component any console
  // page uses (~380 KB gzipped) onto the console's first load; split naturally, the entry carries
  // only what the layout and sign-in use and each lazy page brings the rest.
  if (pkg === 'react' || pkg === 'react-dom' || pkg === 'scheduler' || pkg === 'react-router' || pkg === 'cookie' || pkg === 'set-cookie-parser')
    return 'react';
  if (pkg === 'i18next' || pkg === 'react-i18next' || pkg === 'html-parse-stringify' || pkg === 'void-elements' || pkg === '@tanstack/react-query' || pkg === '@tanstack/query-core')
    return 'vendor';
  return undefined;
}

/** Dev server only: deep links like /console/users load that app's index.html, as the backend does. */
function spaFallback(): Plugin {
  return {
    name: 'dq-spa-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '/';
        const pathOnly = url.split('?')[0];
        const isFile = /\.[a-z0-9]+$/i.test(pathOnly) || pathOnly.startsWith('/@') || pathOnly.startsWith('/node_modules/');
        if (!isFile && req.method === 'GET' && !pathOnly.startsWith('/api/')) {
          if (pathOnly === '/console' || pathOnly.startsWith('/console/')) req.url = '/console/index.html';
          else if (pathOnly === '/screen' || pathOnly.startsWith('/screen/')) req.url = '/screen/index.html';
          else req.url = '/portal/index.html';
        }
        next();
      });
    },
  };
}

/** The most the citizen portal may download (gzipped) before its first page can show. */
const PORTAL_FIRST_LOAD_BUDGET_KB = 250;
const APPS = ['portal', 'console', 'screen'] as const;

/**
 * Prints each app's first load — its HTML's entry script, every chunk that script imports
 * statically (what the HTML modulepreloads) and the CSS of those chunks, gzipped — and fails the
 * build when the portal's exceeds its budget. Lazy routes and ECharts are not counted: they load
 * when a page needs them. 1 KB = 1000 bytes, as in Vite's own size report.
 */
function firstLoadReport(): Plugin {
  let logger: Logger | undefined;
  let line = '';
  return {
    name: 'dq-first-load',
    apply: 'build',
    configResolved(config) {
      logger = config.logger;
    },
    generateBundle(_options, bundle: OutputBundle) {
      const bytes = (fileName: string): number => {
        const out = bundle[fileName];
        if (!out) return 0;
        return gzipSync(out.type === 'chunk' ? out.code : out.source).length;
      };
      const sizes: Record<string, number> = {};
      for (const app of APPS) {
        const entry = Object.values(bundle).find((o): o is OutputChunk => o.type === 'chunk' && o.isEntry && o.name === app);
        if (!entry) continue;
        const files = new Set<string>();
        const walk = (chunk: OutputChunk): void => {
          if (files.has(chunk.fileName)) return;
          files.add(chunk.fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
          for (const imported of chunk.imports) {
            const next = bundle[imported];
            if (next?.type === 'chunk') walk(next);
          }
        };
        walk(entry);
        sizes[app] = [...files].reduce((sum, f) => sum + bytes(f), 0) / 1000;
      }
      line = `first load (gzip): ${Object.entries(sizes)
        .map(([app, kb]) => `${app} ${kb.toFixed(1)} KB`)
        .join(', ')}`;
      if ((sizes.portal ?? 0) > PORTAL_FIRST_LOAD_BUDGET_KB) {
        this.error(`${line}: the portal's is over its ${PORTAL_FIRST_LOAD_BUDGET_KB} KB budget; load the new code lazily (see web/portal/App.tsx)`);
      }
    },
    // After Vite's own list of files, so it is the build's last word.
    closeBundle() {
      if (line) (logger ?? console).info(line);
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [react(), spaFallback(), firstLoadReport()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    // No inline scripts anywhere: the CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        portal: path.join(root, 'portal/index.html'),
        console: path.join(root, 'console/index.html'),
        screen: path.join(root, 'screen/index.html'),
      },
      output: {
        manualChunks: chunkFor,
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against a backend on :8080.
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/oidc': 'http://127.0.0.1:8080',
    },
  },
});
