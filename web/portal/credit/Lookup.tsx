// 信用查询: the public lookup by name or credit code, and a subject's published licences and penalties.
import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';
import type { PublicSubject } from '../../shared/credit/types';
import { CreditFrame, RecordCard, Spinner } from './shared';

const PAGE = 20;

export function CreditLookup() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [short, setShort] = useState(false);
  const results = useInfiniteQuery({
    queryKey: ['public', 'credit', 'search', q],
    queryFn: ({ pageParam }) => api.get<ResponseOf<'/api/public/credit/search'>>('/api/public/credit/search', { q, limit: PAGE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const got = pages.reduce((n, p) => n + p.items.length, 0);
      return got < last.total ? got : undefined;
    },
    enabled: q.length > 0,
  });
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const total = results.data?.pages[0]?.total ?? 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = draft.trim();
    if (v.length < 2) {
      setShort(true);
      return;
    }
    setShort(false);
    setParams({ q: v });
  };

  return (
    <CreditFrame title={t('credit.title')} subtitle={t('credit.subtitle')}>
      <section className="card section" aria-labelledby="credit-search-label">
        <form role="search" onSubmit={submit} className="credit-search" noValidate>
          <label id="credit-search-label" htmlFor="credit-q">
            {t('credit.lookup.label')}
          </label>
          <div className="credit-search-row">
            <input
              id="credit-q"
              name="q"
              type="search"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('credit.lookup.placeholder')}
              aria-describedby="credit-q-hint"
              aria-invalid={short || undefined}
              data-testid="credit-q"
            />
            <button className="btn btn-primary" type="submit" data-testid="credit-search">
              {t('credit.lookup.submit')}
            </button>
          </div>
          <p id="credit-q-hint" className={short ? 'field-error' : 'field-hint'}>
            {short ? t('credit.lookup.tooShort') : t('credit.lookup.hint')}
          </p>
        </form>
      </section>

      {q && (
        <section aria-live="polite" className="credit-results" data-testid="credit-results">
          {results.isPending && <Spinner />}
          {results.isError && <p className="alert">{errorMessage(results.error, t)}</p>}
          {results.data && total === 0 && (
            <div className="card section credit-empty">
              <h2>{t('credit.lookup.none')}</h2>
              <p className="muted small">{t('credit.lookup.noneHint')}</p>
            </div>
          )}
          {total > 0 && <p className="muted small credit-count">{t('credit.lookup.results', { count: total })}</p>}
          <ul className="hit-list">
            {items.map((h) => (
              <li key={h.key}>
                <Link to={`/credit/subjects/${encodeURIComponent(h.key)}`} state={{ q }} className="card hit" data-testid="credit-hit">
                  <strong>{h.name}</strong>
                  <span className="mono small muted">{h.code}</span>
                  <span className="small">
                    {t('credit.lookup.counts', { licences: h.licences, penalties: h.penalties })}
                    {h.penalties > 0 && <span className="pill pill-warn">{t('credit.kind.penalty')}</span>}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {results.hasNextPage && (
            <button className="btn btn-text btn-block" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>
              {t('credit.lookup.more')}
            </button>
          )}
        </section>
      )}
    </CreditFrame>
  );
}

export function CreditSubject() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const from = (useLocation().state as { q?: string } | null)?.q;
  const backTo = from ? `/credit?q=${encodeURIComponent(from)}` : '/credit';
  const [tab, setTab] = useState<'penalties' | 'licences'>('penalties');
  const subject = useQuery({ queryKey: ['public', 'credit', 'subject', code], queryFn: () => api.get<PublicSubject>(`/api/public/credit/subjects/${encodeURIComponent(code)}`) });
  const d = subject.data;
  const list = d ? d[tab] : [];
  return (
    <CreditFrame title={d?.subject.name ?? t('credit.title')} subtitle={d ? `${t('credit.subject.code')} ${d.subject.code}` : undefined} back={{ to: backTo, label: t('credit.subject.back') }}>
      {subject.isPending && <Spinner />}
      {subject.isError && (
        <div className="card section">
          <p className="alert">{errorMessage(subject.error, t)}</p>
          <Link className="link" to={backTo}>
            {t('credit.subject.back')}
          </Link>
        </div>
      )}
      {d && (
        <>
          <div className="seg" role="tablist" aria-label={t('credit.nav.lookup')}>
            {(['penalties', 'licences'] as const).map((k) => (
              <button key={k} role="tab" aria-selected={tab === k} className={tab === k ? 'on' : ''} onClick={() => setTab(k)} data-testid={`subject-tab-${k}`}>
                {t(`credit.subject.${k}`, { count: d[k].length })}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="rec-list" data-testid={`subject-${tab}`}>
            {list.length === 0 && <p className="card section muted">{tab === 'penalties' ? t('credit.subject.noPenalties') : t('credit.subject.noLicences')}</p>}
            {list.map((r) => (
              <RecordCard key={r.id} r={r} testId="subject-record" />
            ))}
          </div>
        </>
      )}
    </CreditFrame>
  );
}
