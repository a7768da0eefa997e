// Turning API failures into a sentence for the person in front of the screen.
import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from './api';
import { currentLocale } from './i18n';
import { formatDateTime } from './format';

/** Finds an ISO timestamp in a message ("…try again after 2026-…Z") and shows it in Shanghai time. */
function localiseInstant(text: string): string | null {
  const m = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/.exec(text);
  return m ? formatDateTime(m[0], currentLocale(), false) : null;
}

/** A problem's path without its leading "/" or "/body/": "/body/roles/0" gives "roles/0". */
function fieldPath(path: string): string {
  return path.replace(/^\/(body\/)?/, '');
}

/** The field a problem's path points at: "/body/idNumber" and "/idNumber" both give "idNumber". */
export function fieldOf(path: string): string {
  return fieldPath(path).split('/')[0];
}

export function errorMessage(err: unknown, t: TFunction, context: 'login' | 'code' | 'action' = 'action'): string {
  if (!err) return '';
  if (err instanceof NetworkError) return t('errors.network');
  if (err instanceof ApiError) {
    const p = err.problem;
    switch (err.status) {
      case 401:
        return context === 'login' ? t('errors.invalidCredentials') : t('errors.unauthorized');
      case 403:
        if (context === 'login' && /disabled/i.test(p.detail ?? '')) return t('errors.disabled');
        return t('errors.forbidden');
      case 404:
        return p.detail || t('errors.notFound');
      case 423: {
        const until = localiseInstant(p.detail ?? '');
        return until ? `${t('errors.locked')}（${until}）` : `${t('errors.locked')}${p.detail ? `: ${p.detail}` : ''}`;
      }
      case 429:
        return t('errors.rateLimited');
      default:
        if (context === 'code' && err.status === 400) return t('errors.codeWrong');
        if (err.status >= 500) return t('errors.server');
        if (p.errors?.length) return p.errors.map((e) => (e.path ? `${fieldPath(e.path)}: ${e.message}` : e.message)).join('; ');
        return p.detail || p.title || t('errors.generic');
    }
  }
  return err instanceof Error ? err.message : t('errors.generic');
}
