// Starting an app: its strings, one query client, React in strict mode.
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, type DefaultOptions } from '@tanstack/react-query';
import { setupI18n, type I18nTree } from './i18n';

export function mountApp(strings: { zh: I18nTree; en: I18nTree }, app: ReactNode, queries: DefaultOptions['queries'] = {}): void {
  setupI18n(strings);
  const queryClient = new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1, ...queries } },
  });
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>{app}</QueryClientProvider>
    </StrictMode>,
  );
}
