// The credit pages' frame (blue header, section tabs, main landmark) and the record cards they share.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { SectionFrame } from '../frame';
import { recordSummary } from '../../shared/credit/fields';
import type { PublicRecord } from '../../shared/credit/types';

export function CreditFrame({ title, subtitle, back, children }: { title: string; subtitle?: string; back?: { to: string; label: string }; children: ReactNode }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const tabs = [
    { to: '/credit', label: t('credit.nav.lookup'), on: /^\/credit(\/subjects\/.*)?\/?$/.test(pathname) },
    { to: '/credit/repair', label: t('credit.nav.repair'), on: /^\/credit\/repairs?(\/|$)/.test(pathname) },
    { to: '/credit/profile', label: t('credit.nav.profile'), on: pathname.startsWith('/credit/profile') },
  ];
  return (
    <SectionFrame section="credit" title={title} subtitle={subtitle} back={back} tabs={tabs} navLabel={t('credit.nav.label')} homeLabel={t('credit.nav.home')}>
      {children}
    </SectionFrame>
  );
}

function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function Row({ label, value }: { label: string; value: string }) {
  if (!value) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** One licence or penalty as a card: what, by whom, when, and how long it stays published. */
export function RecordCard({ r, extra, testId }: { r: PublicRecord; extra?: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const x = r.record;
  const sum = recordSummary(r.kind, x);
  const title = r.kind === 'penalty' ? s(x.CF_WFXW) || s(x.CF_CFLB) : s(x.XK_XKWS);
  return (
    <article className="card rec-card" data-testid={testId}>
      <div className="rec-head">
        <span className={`rec-kind rec-kind-${r.kind}`}>{t(`credit.kind.${r.kind}`)}</span>
        <h3>{title || sum.docNo}</h3>
      </div>
      <dl className="rec-rows">
        <Row label={t('credit.rec.docNo')} value={sum.docNo} />
        <Row label={t('credit.rec.category')} value={r.kind === 'penalty' ? s(x.CF_CFLB) : s(x.XK_XKLB)} />
        <Row label={t('credit.rec.content')} value={sum.content} />
        {r.kind === 'penalty' && <Row label={t('credit.rec.fine')} value={x.CF_NR_FK ? t('credit.rec.wan', { n: s(x.CF_NR_FK) }) : ''} />}
        <Row label={t('credit.rec.authority')} value={r.kind === 'penalty' ? s(x.CF_CFJG) : s(x.XK_XKJG)} />
        <Row label={t('credit.rec.decided')} value={sum.decided} />
        {r.kind === 'licence' && <Row label={t('credit.rec.validity')} value={`${s(x.XK_YXQZ)} ~ ${s(x.XK_YXQZI)}`} />}
        {r.kind === 'penalty' && <Row label={t('credit.rec.publicationEnds')} value={r.publicationEnds ? r.publicationEnds.slice(0, 10) : s(x.CF_GSJZQ)} />}
      </dl>
      {extra}
    </article>
  );
}

export function Spinner() {
  return (
    <div className="credit-center" aria-busy="true">
      <div className="spinner" />
    </div>
  );
}
