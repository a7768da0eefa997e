// The service hall's front page: for visitors a search box, popular items, ways to browse and the
// bundles; for a signed-in person their own home (千人千面) with the reasons behind each suggestion.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../shared/api';
import { formatRelative } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useLogout } from '../shared/session';
import type { Me } from '../shared/types';
import { ErrorBox, Highlight, Loading, ModeBadge, Panel, Shell, StateBadge } from './shell';
import { tx, useBundles, useSearch, useZones, type HomePage, type ItemSummary, type Mode } from './svc';

export function SearchBox({ initial = '', autoFocus }: { initial?: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [q, setQ] = useState(initial);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    nav(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">
        {t('hall.search.label')}
      </label>
      <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('hall.search.placeholder')} autoFocus={autoFocus} data-testid="search-input" enterKeyHint="search" />
      <button type="submit" className="btn btn-primary">
        {t('action.search')}
      </button>
    </form>
  );
}

export function ItemCard({ item }: { item: Pick<ItemSummary, 'code' | 'name' | 'mode'> & Partial<Pick<ItemSummary, 'highlight'>> & { ownerName?: string | null; promisedDays?: number } }) {
  const { t } = useTranslation();
  return (
    <Link to={`/items/${encodeURIComponent(item.code)}`} className="item-card" data-testid="item-card">
      <span className="item-name">
        <Highlight segments={item.highlight} fallback={item.name} />
      </span>
      <span className="item-meta">
        <ModeBadge mode={item.mode} />
        {item.ownerName && <span className="muted small">{item.ownerName}</span>}
        {item.promisedDays !== undefined && <span className="muted small">{t('hall.item.promisedShort', { count: item.promisedDays })}</span>}
      </span>
    </Link>
  );
}

function BrowseEntries() {
  const { t } = useTranslation();
  const entries = [
    { to: '/departments', label: t('hall.browse.departments'), hint: t('hall.browse.departmentsHint') },
    { to: '/halls', label: t('hall.browse.halls'), hint: t('hall.browse.hallsHint') },
    { to: '/zones', label: t('hall.browse.zones'), hint: t('hall.browse.zonesHint') },
    { to: '/life-events', label: t('hall.browse.lifeEvents'), hint: t('hall.browse.lifeEventsHint') },
    { to: '/credit', label: t('hall.browse.credit'), hint: t('hall.browse.creditHint') },
    { to: '/code', label: t('hall.browse.cityCode'), hint: t('hall.browse.cityCodeHint') },
    { to: '/wallet', label: t('hall.browse.wallet'), hint: t('hall.browse.walletHint') },
  ];
  return (
    <ul className="entry-grid">
      {entries.map((e) => (
        <li key={e.to}>
          <Link to={e.to} className="entry">
            <strong>{e.label}</strong>
            <span className="muted small">{e.hint}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function PublicHome() {
  const { t } = useTranslation();
  const locale = useLocale();
  const popular = useSearch({ limit: 8 });
  const zones = useZones();
  const bundles = useBundles();
  const audience = zones.data?.items.filter((z) => z.category === 'audience').slice(0, 8) ?? [];
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t('hall.home.title')}</h1>
        <p>{t('hall.home.subtitle')}</p>
        <SearchBox />
      </section>
      <Panel title={t('hall.home.popular')} testId="popular">
        {popular.isPending && <Loading />}
        {popular.isError && <ErrorBox error={popular.error} retry={() => void popular.refetch()} />}
        <div className="item-list">
          {popular.data?.items.map((i) => (
            <ItemCard key={i.id} item={{ ...i, ownerName: i.owner?.name }} />
          ))}
        </div>
      </Panel>
      <Panel title={t('hall.home.browse')}>
        <BrowseEntries />
        {audience.length > 0 && (
          <ul className="chip-row" aria-label={t('hall.browse.zones')}>
            {audience.map((z) => (
              <li key={z.code}>
                <Link className={`chip${z.code === 'elders' ? ' chip-strong' : ''}`} to={`/zones/${z.code}`}>
                  {locale === 'en' ? z.nameEn : z.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={t('hall.home.bundles')} testId="bundles">
        {bundles.isPending && <Loading />}
        <ul className="bundle-list">
          {bundles.data?.items.map((b) => (
            <li key={b.code}>
              <Link to={`/bundles/${b.code}`} className="bundle-card">
                <strong>{b.name}</strong>
                <span className="muted small">{t('hall.bundle.members', { count: b.items.length })}</span>
              </Link>
            </li>
          ))}
        </ul>
      </Panel>
      <div className="signin-hint">
        <Link to="/login" className="btn btn-primary btn-block">
          {t('hall.home.signInForMine')}
        </Link>
        <p className="switch-line">
          {t('portal.noAccount')}
          <Link to="/register" className="link" data-testid="register-link">
            {t('portal.registerLink')}
          </Link>
        </p>
      </div>
    </>
  );
}

/** A fact as a person reads it: names rather than codes, events with their date. */
function factValue(v: unknown, t: (k: string) => string, locale: string, zoneName: (code: string) => string | undefined): string {
  if (v === true) return t('hall.yes');
  if (v === false) return t('hall.no');
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.map((x) => factValue(x, t, locale, zoneName)).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return locale === 'en' && typeof o.nameEn === 'string' ? o.nameEn : o.name;
    if (typeof o.event === 'string') return `${zoneName(o.event) ?? o.event}${typeof o.date === 'string' ? `（${o.date}）` : ''}`;
    return Object.values(o).map((x) => factValue(x, t, locale, zoneName)).join(' ');
  }
  if (v === 'person' || v === 'enterprise') return t(`hall.applicant.${v}`);
  return String(v);
}

function PersonalHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const logout = useLogout();
  const home = useQuery({ queryKey: ['svc', 'home', me.user.id], queryFn: () => api.get<HomePage>('/api/svc/home', { limit: 12 }) });
  const zones = useZones();
  const zoneName = (code: string) => {
    const z = zones.data?.items.find((x) => x.code === code);
    return z && (locale === 'en' ? z.nameEn : z.name);
  };
  const h = home.data;
  return (
    <>
      <section className="hero hero-personal" aria-labelledby="hero-title">
        <h1 id="hero-title">{t('hall.home.hello', { name: me.user.displayName })}</h1>
        <p className="hero-account">
          <span data-testid="display-name">{me.user.displayName}</span>
          <span className="kind-chip" data-testid="account-kind">
            {t(`kind.${me.user.kind}`)}
          </span>
          {me.user.idNumberMasked && (
            <span className="mono" data-testid="id-number">
              {me.user.idNumberMasked}
            </span>
          )}
        </p>
        <p>{h?.audience === 'enterprise' ? t('hall.home.forEnterprise') : t('hall.home.forYou')}</p>
        <SearchBox />
      </section>
      {home.isPending && <Loading />}
      {home.isError && <ErrorBox error={home.error} retry={() => void home.refetch()} />}
      {h && h.continue.length > 0 && (
        <Panel title={t('hall.home.continue')} testId="continue">
          <ul className="row-list">
            {h.continue.map((c) => (
              <li key={c.id}>
                <Link to={c.bundleApplicationId ? `/bundle-applications/${c.bundleApplicationId}` : `/applications/${c.id}`} className="row-link">
                  <span className="row-main">
                    <strong>{c.itemName}</strong>
                    <span className="muted small">{formatRelative(c.updatedAt, locale)}</span>
                  </span>
                  <StateBadge state={c.state} />
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
      )}
      {h && (
        <Panel title={t('hall.home.recommended')} testId="recommended">
          <ol className="rec-list">
            {h.items.map((i) => (
              <li key={i.id} className="rec" data-testid="rec-item">
                <ItemCard item={{ code: i.code, name: locale === 'en' && i.nameEn ? i.nameEn : i.name, mode: i.mode as Mode, ownerName: i.ownerName }} />
                <details className="why">
                  <summary>{t('hall.home.why')}</summary>
                  <ul>
                    {i.reasons.map((r) => (
                      <li key={r.rule}>{tx(r.label, locale)}</li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ol>
        </Panel>
      )}
      {h && h.bundles.length > 0 && (
        <Panel title={t('hall.home.bundlesForYou')} testId="home-bundles">
          <ul className="bundle-list">
            {h.bundles.map((b) => (
              <li key={b.code} className="rec">
                <Link to={`/bundles/${b.code}`} className="bundle-card">
                  <strong>{locale === 'en' && b.nameEn ? b.nameEn : b.name}</strong>
                </Link>
                <details className="why">
                  <summary>{t('hall.home.why')}</summary>
                  <ul>
                    {b.reasons.map((r) => (
                      <li key={r.rule}>{tx(r.label, locale)}</li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ul>
        </Panel>
      )}
      {h && h.facts.length > 0 && (
        <Panel title={t('hall.home.facts')} testId="facts">
          <p className="muted small">{t('hall.home.factsHint')}</p>
          <dl className="facts">
            {h.facts.map((f) => (
              <div key={f.key}>
                <dt>{tx(f.label, locale)}</dt>
                <dd>{factValue(f.value, t, locale, zoneName)}</dd>
              </div>
            ))}
          </dl>
        </Panel>
      )}
      <Panel title={t('hall.home.browse')}>
        <BrowseEntries />
      </Panel>
      <button type="button" className="btn btn-text btn-block" onClick={() => void logout()}>
        {t('action.logout')}
      </button>
    </>
  );
}

export function HallHome({ me }: { me: Me | null }) {
  return <Shell>{me ? <PersonalHome me={me} /> : <PublicHome />}</Shell>;
}
