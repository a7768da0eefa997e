// One service item: how it is handled, how long it takes, what to bring, what it costs, the law
// behind it, and the way to apply (for oneself, or for a relative who authorised you).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { formatDate } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useMe } from '../shared/session';
import { Empty, ErrorBox, Loading, ModeBadge, Panel, Shell } from './shell';
import { useItem, useProxyGrants, useZones, type Application, type ProxyGrant } from './svc';

/** Active, unexpired authorisations in which I act for someone, covering this item. */
export function grantsFor(grants: ProxyGrant[] | undefined, myId: string | undefined, itemId: string | undefined): ProxyGrant[] {
  const now = Date.now();
  return (grants ?? []).filter((g) => g.agentId === myId && g.status === 'active' && new Date(g.expiresAt).getTime() > now && (g.scope === 'all' || !itemId || (g.itemIds ?? []).includes(itemId)));
}

export function principalLabel(g: ProxyGrant, t: (k: string, o?: Record<string, unknown>) => string): string {
  return g.principalName ? t('hall.proxy.forNamed', { name: g.principalName, relation: g.relation }) : t('hall.proxy.forRelation', { relation: g.relation });
}

export function ItemPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { code } = useParams();
  const nav = useNavigate();
  const loc = useLocation();
  const me = useMe();
  const signedIn = !!me.data && !me.data.mfaPending;
  const item = useItem(code);
  const zones = useZones();
  const grants = useProxyGrants(signedIn);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const i = item.data;
  const mine = grantsFor(grants.data?.items, me.data?.user.id, i?.id);

  const apply = async (onBehalfOf?: string) => {
    if (!i) return;
    setBusy(true);
    setError(null);
    try {
      const a = await api.post<Application>('/api/applications', { itemId: i.id, ...(onBehalfOf ? { onBehalfOf } : {}) });
      nav(`/applications/${a.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (item.isPending) {
    return (
      <Shell>
        <Loading />
      </Shell>
    );
  }
  if (!i) {
    return (
      <Shell title={t('hall.item.title')} back="/search">
        <ErrorBox error={item.error} retry={() => void item.refetch()} />
      </Shell>
    );
  }
  const zoneNames = i.zones.map((z) => zones.data?.items.find((x) => x.code === z)).filter(Boolean);
  return (
    <Shell title={i.name} back="/search">
      <div className="item-head">
        <ModeBadge mode={i.mode} />
        <span className="muted small">{i.code}</span>
        <span className="muted small">{t(`hall.applicant.${i.applicantType}`)}</span>
      </div>
      <Panel title={t('hall.item.overview')} testId="item-overview">
        <dl className="facts">
          <div>
            <dt>{t('hall.item.owner')}</dt>
            <dd>{i.owner?.name}</dd>
          </div>
          <div>
            <dt>{t('hall.item.mode')}</dt>
            <dd>
              {t(`hall.mode.${i.mode}`)} — {t(`hall.modeHint.${i.mode}`)}
            </dd>
          </div>
          <div>
            <dt>{t('hall.item.legalDays')}</dt>
            <dd data-testid="legal-days">{t('hall.item.workingDays', { count: i.legalDays })}</dd>
          </div>
          <div>
            <dt>{t('hall.item.promisedDays')}</dt>
            <dd data-testid="promised-days">{t('hall.item.workingDays', { count: i.promisedDays })}</dd>
          </div>
          <div>
            <dt>{t('hall.item.fees')}</dt>
            <dd>{i.fees.free || !i.fees.items.length ? t('hall.item.free') : i.fees.items.map((f) => `${f.name} ${t('hall.item.yuan', { n: f.amountYuan })}`).join('；')}</dd>
          </div>
          <div>
            <dt>{t('hall.item.legalBasis')}</dt>
            <dd>{i.legalBasis || '—'}</dd>
          </div>
          {zoneNames.length > 0 && (
            <div>
              <dt>{t('hall.item.zones')}</dt>
              <dd>
                {zoneNames.map((z, n) => (
                  <span key={z!.code}>
                    {n > 0 && '、'}
                    <Link to={`/zones/${z!.code}`}>{locale === 'en' ? z!.nameEn : z!.name}</Link>
                  </span>
                ))}
              </dd>
            </div>
          )}
        </dl>
        {i.description && <p className="desc">{i.description}</p>}
      </Panel>
      <Panel title={t('hall.item.materials')} testId="item-materials">
        {i.materials.length === 0 ? (
          <Empty>{t('hall.item.noMaterials')}</Empty>
        ) : (
          <ol className="material-list">
            {i.materials.map((m) => (
              <li key={m.key}>
                <strong>{m.name}</strong> {m.required ? <span className="tag tag-red">{t('hall.item.required')}</span> : <span className="tag">{t('hall.item.optional')}</span>}
                <div className="muted small">
                  {m.upload ? t('hall.item.uploadTypes', { types: m.upload.types.join(' / ').toUpperCase(), mb: m.upload.maxSizeMb }) : t('hall.item.noUpload')}
                  {m.certificateType && <> · {t('hall.item.certificate', { name: m.certificateType })}</>}
                </div>
              </li>
            ))}
          </ol>
        )}
      </Panel>
      {i.bundles.length > 0 && (
        <Panel title={t('hall.item.inBundles')}>
          {i.bundles.map((b) => (
            <Link key={b.code} to={`/bundles/${b.code}`} className="bundle-card">
              <strong>{b.name}</strong>
            </Link>
          ))}
        </Panel>
      )}
      <div className="apply-bar">
        {error != null && (
          <p className="alert" role="alert">
            {errorMessage(error, t)}
          </p>
        )}
        {!signedIn ? (
          <Link className="btn btn-primary btn-block" to={`/login?next=${encodeURIComponent(loc.pathname)}`} data-testid="apply">
            {t('hall.item.signInToApply')}
          </Link>
        ) : (
          <>
            <button type="button" className="btn btn-primary btn-block" disabled={busy} onClick={() => void apply()} data-testid="apply">
              {t('hall.item.apply')}
            </button>
            {mine.map((g) => (
              <button key={g.id} type="button" className="btn btn-ghost btn-block" disabled={busy} onClick={() => void apply(g.principalId)} data-testid="apply-for">
                {t('hall.item.applyFor', { who: principalLabel(g, t) })}
                <span className="muted small"> · {t('hall.proxy.until', { date: formatDate(g.expiresAt, locale) })}</span>
              </button>
            ))}
          </>
        )}
      </div>
    </Shell>
  );
}
