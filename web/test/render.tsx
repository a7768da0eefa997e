// Renders an app's component tree as mountApp does (its strings, one query client) inside a
// memory router, for the web unit tests.
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { setupI18n, type I18nTree } from '../shared/i18n';
import type { Locale } from '../shared/types';

let initialised: object | null = null;

export function renderApp(strings: { zh: I18nTree; en: I18nTree }, ui: ReactNode, opts: { path?: string; basename?: string; locale?: Locale } = {}) {
  if (initialised !== strings) {
    setupI18n(strings);
    initialised = strings;
  }
  void i18next.changeLanguage(opts.locale ?? 'zh-CN');
  document.documentElement.lang = opts.locale ?? 'zh-CN';
  // No retries: a failed answer shows at once, as a test expects.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
  const path = opts.path ?? '/';
  const result = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[opts.basename ? `${opts.basename}${path}` : path]} basename={opts.basename}>
        {ui}
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
