// The portal's city-code section: my dynamic code (/code), where it was scanned (/code/scans), and the
// scanning terminal page (/code/terminal), which signs in with the terminal's API key, not a person.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useLocation } from 'react-router';
import QRCode from 'qrcode';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';
import { formatDateTime, formatTime } from '../../shared/format';
import { useLocale } from '../../shared/i18n';
import type { useSession } from '../../shared/session';
import { Alert, BrandBar, Field } from '../ui';
import { TerminalPage } from './Terminal';

type Props = { me: ReturnType<typeof useSession>; signIn: ReactNode };

type MyCode = ResponseOf<'/api/code/me'>;

export function CodeApp({ me, signIn }: Props) {
  const signedIn = !!me.data && !me.data.mfaPending;
  const member = (page: ReactNode) => (me.isPending ? <div className="spinner" aria-busy="true" /> : signedIn ? page : signIn);
  return (
    <Routes>
      <Route index element={member(<MyCodePage />)} />
      <Route path="scans" element={member(<MyScansPage />)} />
      <Route path="terminal" element={<TerminalPage />} />
    </Routes>
  );
}

function CodeFrame({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const tabs = [
    { to: '/code', label: t('code.nav.code'), on: /^\/code\/?$/.test(pathname) },
    { to: '/code/scans', label: t('code.nav.scans'), on: pathname.startsWith('/code/scans') },
  ];
  return (
    <div className="code-page">
      <header className="code-header">
        <BrandBar className="home-bar" logoSize={26} />
        <h1>{t('code.title')}</h1>
        <p>{t('code.subtitle')}</p>
      </header>
      <nav className="code-tabs" aria-label={t('code.nav.label')}>
        {tabs.map((tab) => (
          <Link key={tab.to} to={tab.to} className={tab.on ? 'active' : undefined} aria-current={tab.on ? 'page' : undefined}>
            {tab.label}
          </Link>
        ))}
      </nav>
      <main className="code-main">{children}</main>
      <footer className="footer muted small">
        <Link to="/" className="link">
          {t('code.nav.home')}
        </Link>{' '}
        · {t('portal.footer')}
      </footer>
    </div>
  );
}

/** Ticks every second, for the countdown. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function MyCodePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const now = useNow();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const code = useQuery({
    queryKey: ['code', 'me'],
    queryFn: () => api.get<MyCode>('/api/code/me'),
    // A fresh code a little before the current one expires; never reuse a cached code.
    refetchInterval: (q) => (q.state.data?.refreshAfter ? Math.max(1000, Date.parse(q.state.data.refreshAfter) - Date.now()) : false),
    refetchOnWindowFocus: 'always',
    gcTime: 0,
    staleTime: 0,
  });
  const [qr, setQr] = useState('');
  const payload = code.data?.payload ?? null;
  useEffect(() => {
    if (!payload) return setQr('');
    let live = true;
    // Base45 is exactly the QR alphanumeric alphabet, so the whole payload fits one alphanumeric segment.
    QRCode.toDataURL([{ data: payload, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', margin: 2, width: 480 })
      .then((url) => live && setQr(url))
      .catch(() => QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 480 }).then((url) => live && setQr(url)));
    return () => {
      live = false;
    };
  }, [payload]);

  const refresh = () => qc.invalidateQueries({ queryKey: ['code', 'me'] });
  const freeze = async () => {
    if (!window.confirm(t('code.freeze.confirm'))) return;
    setError('');
    try {
      await api.post('/api/code/me/freeze');
      setNotice(t('code.freeze.done'));
      await refresh();
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };

  const d = code.data;
  const left = d?.expiresAt ? Math.max(0, Math.ceil((Date.parse(d.expiresAt) - now) / 1000)) : 0;
  const refreshIn = d?.refreshAfter ? Math.max(0, Math.ceil((Date.parse(d.refreshAfter) - now) / 1000)) : 0;
  return (
    <CodeFrame>
      <Alert message={error || (code.error ? `${t('code.me.error')}: ${errorMessage(code.error, t)}` : '')} />
      {notice && (
        <div className="code-notice" role="status">
          {notice}
        </div>
      )}
      {!d && code.isPending && <div className="code-card muted">{t('code.me.loading')}</div>}
      {d && d.frozen && <FrozenCard code={d} onUnfrozen={() => { setNotice(t('code.freeze.unfrozen')); void refresh(); }} />}
      {d && !d.frozen && d.payload && (
        <section className="code-card qr-card" aria-labelledby="qr-title">
          <h2 id="qr-title" className="code-sr-only">
            {t('code.title')}
          </h2>
          <div className={`qr-frame health-${d.health}`}>{qr ? <img src={qr} alt={t('code.title')} data-testid="city-code-qr" /> : <div style={{ width: 272, height: 272 }} />}</div>
          <div className="qr-status">
            <span className={`health-badge ${d.health}`} data-testid="health">
              {t(`code.health.${d.health}`)}
            </span>{' '}
            <span className="qr-countdown" data-testid="countdown">
              {code.isFetching ? t('code.me.refreshing') : t('code.me.refreshIn', { s: refreshIn })}
            </span>
          </div>
          <p className="muted small">{t('code.me.validUntil', { time: formatTime(d.expiresAt) })}{left === 0 ? ' ⚠' : ''}</p>
          <p className="small">{t('code.me.hint')}</p>
          <button type="button" className="btn btn-text" onClick={() => void refresh()}>
            {t('code.me.refreshNow')}
          </button>
          <label className="muted small" htmlFor="code-payload" style={{ display: 'block', marginTop: '0.6rem', textAlign: 'left' }}>
            {t('code.me.payload')}
          </label>
          <textarea id="code-payload" className="payload-box" readOnly rows={3} value={d.payload} data-testid="code-payload" onFocus={(e) => e.currentTarget.select()} />
          <p className="muted small">{t('code.me.subject', { sub: d.subject })}</p>
        </section>
      )}
      {d && (
        <section className="code-card" aria-labelledby="cards-title">
          <h2 id="cards-title">{t('code.me.cards')}</h2>
          {d.cards.length === 0 ? (
            <p className="muted">{t('code.me.noCards')}</p>
          ) : (
            <ul className="card-list" data-testid="fused-cards">
              {d.cards.map((c) => (
                <li key={c.kind}>
                  <span>{t(`code.card.${c.kind}`, { defaultValue: c.kind })}</span>
                  <span className="mono">{c.ref}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {d && !d.frozen && (
        <section className="code-card" aria-labelledby="freeze-title">
          <h2 id="freeze-title">{t('code.freeze.title')}</h2>
          <p className="small muted">{t('code.freeze.hint')}</p>
          <div className="code-actions">
            <button type="button" className="btn btn-outline-danger btn-block" onClick={() => void freeze()} data-testid="freeze">
              {t('code.freeze.button')}
            </button>
            <Link to="/code/scans" className="btn btn-block">
              {t('code.me.scansLink')}
            </Link>
          </div>
        </section>
      )}
    </CodeFrame>
  );
}

function FrozenCard({ code, onUnfrozen }: { code: MyCode; onUnfrozen: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.post('/api/code/me/unfreeze', { password });
      setPassword('');
      onUnfrozen();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="code-card frozen-card" data-testid="frozen">
      <div className="big">❄ {t('code.freeze.frozen')}</div>
      <p className="small muted">{t('code.freeze.frozenAt', { time: formatDateTime(code.frozenAt) })}</p>
      <p className="small">{t('code.freeze.frozenHint')}</p>
      <form onSubmit={(e) => void submit(e)} style={{ textAlign: 'left' }}>
        <Field name="password" type="password" autoComplete="current-password" label={t('code.freeze.password')} value={password} onChange={(e) => setPassword(e.target.value)} error={error} required />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !password} data-testid="unfreeze">
          {t('code.freeze.unfreeze')}
        </button>
      </form>
      <Link to="/code/scans" className="btn btn-block" style={{ marginTop: '0.6rem' }}>
        {t('code.me.scansLink')}
      </Link>
    </section>
  );
}

const PAGE = 20;

function MyScansPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const scans = useInfiniteQuery({
    queryKey: ['code', 'me', 'scans'],
    queryFn: ({ pageParam }) => api.get<ResponseOf<'/api/code/me/scans'>>('/api/code/me/scans', { limit: PAGE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, all) => { const seen = all.reduce((n, p) => n + p.items.length, 0); return seen < last.total ? seen : undefined; },
  });
  const items = scans.data?.pages.flatMap((p) => p.items) ?? [];
  const total = scans.data?.pages[0]?.total ?? 0;
  const more = useCallback(() => void scans.fetchNextPage(), [scans]);
  return (
    <CodeFrame>
      <section className="code-card" aria-labelledby="scans-title">
        <h2 id="scans-title">
          {t('code.scans.title')} <span className="muted small">{total ? t('code.scans.total', { n: total }) : ''}</span>
        </h2>
        <Alert message={scans.error ? errorMessage(scans.error, t) : ''} />
        {scans.isPending ? (
          <div className="spinner" aria-busy="true" />
        ) : items.length === 0 ? (
          <p className="muted">{t('code.scans.empty')}</p>
        ) : (
          <ul className="scan-list" data-testid="scan-list">
            {items.map((s) => (
              <li key={s.id}>
                <span className="scan-where">{s.terminalName}</span>
                <span className={`scan-tag scan-tag-${s.decision}`}>{t(`code.scans.${s.decision}`)}</span>
                <span className="scan-meta">
                  {t(`code.scenario.${s.scenario}`, { defaultValue: s.scenario })} · {s.district ? `${s.district} · ` : ''}
                  {s.place}
                </span>
                <span className="scan-meta">{formatDateTime(s.at, locale)}</span>
                {s.decision === 'refuse' && <span className="scan-meta">{t(`code.reason.${s.reason}`, { defaultValue: s.reason })}</span>}
              </li>
            ))}
          </ul>
        )}
        {scans.hasNextPage && (
          <button type="button" className="btn btn-block" onClick={more} disabled={scans.isFetchingNextPage}>
            {t('code.scans.more')}
          </button>
        )}
      </section>
    </CodeFrame>
  );
}
