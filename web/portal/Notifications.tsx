// In-app notifications: newest first, unread marked, read one or all.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../shared/api';
import type { ResponseOf } from '../shared/api-types';
import { formatDateTime } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { Empty, ErrorBox, Loading, Shell } from './shell';

export function Notifications() {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['notifications', 'list'], queryFn: () => api.get<ResponseOf<'/api/notifications'>>('/api/notifications', { limit: 100 }) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['notifications'] });
  const read = (id: string) => api.post(`/api/notifications/${id}/read`).then(refresh);
  const unread = q.data?.unread ?? 0;
  return (
    <Shell title={t('hall.nav.notifications')}>
      <div className="filter-inline">
        <span className="muted" role="status">
          {t('hall.notice.unread', { count: unread })}
        </span>
        {unread > 0 && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void api.post('/api/notifications/read-all').then(refresh)} data-testid="read-all">
            {t('hall.notice.readAll')}
          </button>
        )}
      </div>
      {q.isPending && <Loading />}
      {q.isError && <ErrorBox error={q.error} retry={() => void q.refetch()} />}
      {q.data && q.data.items.length === 0 && <Empty>{t('hall.notice.none')}</Empty>}
      {q.data && q.data.items.length > 0 && (
        <ul className="notice-list card" data-testid="notifications">
          {q.data.items.map((n) => (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              {!n.read && <span className="dot dot-blue" aria-label={t('hall.notice.new')} role="img" />}
              <div className="notice-body">
                <strong>{n.title}</strong>
                <p>{n.body}</p>
                <span className="muted small">{formatDateTime(n.createdAt, locale, false)}</span>
                <div className="notice-actions">
                  {n.applicationId && (
                    <Link to={`/applications/${n.applicationId}`} className="link" onClick={() => !n.read && void read(n.id)}>
                      {t('hall.notice.open')}
                    </Link>
                  )}
                  {!n.read && (
                    <button type="button" className="btn btn-text btn-small" onClick={() => void read(n.id)}>
                      {t('hall.notice.markRead')}
                    </button>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Shell>
  );
}
