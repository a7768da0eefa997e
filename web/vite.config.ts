// One Vite build for the three browser apps: the citizen portal (/), the staff console (/console/)
// and the city operations big screen (/screen/). The backend serves web/dist/<app>/index.html and
// /assets/* from web/dist/assets.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Keeps each heavy library in its own chunk so an app only downloads what it uses. */
function chunkFor(id: string): string | undefined {
  if (id.replace(/\\/g, '/').includes('/web/shared/')) return 'shared';
  if (!id.includes('node_modules')) return undefined;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id.replace(/\\/g, '/'));
  const pkg = m?.[1] ?? '';
  if (pkg === 'echarts' || pkg === 'zrender') return 'echarts';
  if (
    pkg === 'antd' ||
    pkg.startsWith('@ant-design/') ||
    pkg.startsWith('@rc-component/') ||
    pkg.startsWith('rc-') ||
    pkg === 'dayjs' ||
    pkg === '@emotion/hash' ||
    pkg === '@emotion/unitless' ||
    pkg === 'stylis' ||
    pkg === 'classnames' ||
    pkg === 'throttle-debounce' ||
    pkg === 'scroll-into-view-if-needed' ||
    pkg === 'compute-scroll-into-view' ||
    pkg === 'json2mq' ||
    pkg === 'string-convert' ||
    pkg === 'toggle-selection' ||
    pkg === 'copy-to-clipboard' ||
    pkg === '@babel/runtime'
  )
    return 'antd';
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

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [react(), spaFallback()],
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
