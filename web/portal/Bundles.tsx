// 一件事: a bundle's page (its member items and one shared form) and a bundle application tracked
// as one, with its members' states.
import { useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useMe } from '../shared/session';
import { DynamicForm, cleanValues, serverFieldErrors, validateValues, type FieldErrors, type Values } from './DynamicForm';
import { grantsFor, principalLabel } from './ItemPage';
import { ErrorBox, Loading, Panel, Shell, StateBadge } from './shell';
import { tx, useProxyGrants, type BundleApplication, type BundleDetail, type FormDefinition, type ItemDetail } from './svc';

function useBundle(code: string | undefined) {
  return useQuery({ queryKey: ['svc', 'bundle', code], queryFn: () => api.get<BundleDetail>(`/api/public/svc/bundles/${encodeURIComponent(code!)}`), enabled: !!code, staleTime: 60_000 });
}

function SharedForm({ form, initial, busy, submitLabel, onSubmit, secondary }: { form: FormDefinition; initial: Values; busy: boolean; submitLabel: string; onSubmit: (v: Values) => Promise<FieldErrors | null>; secondary?: React.ReactNode }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local = validateValues(form, values, t, true);
        setErrors(local);
        if (Object.keys(local).length) return;
        void onSubmit(cleanValues(form, values)).then((errs) => errs && setErrors(errs));
      }}
    >
      <DynamicForm form={form} values={values} errors={errors} onChange={(k, v) => setValues((o) => ({ ...o, [k]: v }))} disabled={busy} />
      <div className="apply-bar">
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="bundle-submit">
          {submitLabel}
        </button>
        {secondary}
      </div>
    </form>
  );
}

export function BundlePage() {
  const { t } = useTranslation();
  const { code } = useParams();
  const nav = useNavigate();
  const loc = useLocation();
  const me = useMe();
  const signedIn = !!me.data && !me.data.mfaPending;
  const b = useBundle(code);
  const grants = useProxyGrants(signedIn);
  const mine = grantsFor(grants.data?.items, me.data?.user.id, undefined).filter((g) => g.scope === 'all');
  const [forWhom, setForWhom] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!b.data) return <Shell title={t('hall.bundle.title')}>{b.isPending ? <Loading /> : <ErrorBox error={b.error} retry={() => void b.refetch()} />}</Shell>;
  const bundle = b.data;
  const start = async (data: Values): Promise<FieldErrors | null> => {
    setBusy(true);
    setError('');
    try {
      const r = await api.post<BundleApplication>('/api/bundle-applications', { bundleCode: bundle.code, data, ...(forWhom ? { onBehalfOf: forWhom } : {}) });
      nav(`/bundle-applications/${r.id}`);
      return null;
    } catch (e) {
      const { fields, other } = serverFieldErrors(e);
      setError(other.join('；') || (Object.keys(fields).length ? t('register.fixErrors') : errorMessage(e, t)));
      return fields;
    } finally {
      setBusy(false);
    }
  };
  return (
    <Shell title={bundle.name} back="/life-events">
      <p className="muted">{bundle.description}</p>
      <Panel title={t('hall.bundle.memberItems')} testId="bundle-members">
        <ol className="material-list">
          {bundle.items.map((i) => (
            <li key={i.code}>
              <Link to={`/items/${i.code}`}>{i.name}</Link> <span className="muted small">{i.code}</span>
            </li>
          ))}
        </ol>
        <p className="muted small">{t('hall.bundle.oneForm')}</p>
      </Panel>
      <Panel title={t('hall.bundle.form')}>
        {!signedIn ? (
          <Link className="btn btn-primary btn-block" to={`/login?next=${encodeURIComponent(loc.pathname)}`}>
            {t('hall.item.signInToApply')}
          </Link>
        ) : (
          <>
            {mine.length > 0 && (
              <div className="field">
                <label htmlFor="bundle-for">{t('hall.bundle.forWhom')}</label>
                <select id="bundle-for" value={forWhom} onChange={(e) => setForWhom(e.target.value)}>
                  <option value="">{t('hall.bundle.forMe')}</option>
                  {mine.map((g) => (
                    <option key={g.id} value={g.principalId}>
                      {principalLabel(g, t)}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <SharedForm form={bundle.form} initial={{}} busy={busy} submitLabel={t('hall.bundle.start')} onSubmit={start} />
            {error && (
              <p className="alert" role="alert">
                {error}
              </p>
            )}
          </>
        )}
      </Panel>
    </Shell>
  );
}

export function BundleApplicationPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { id } = useParams();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['bundle-application', id], queryFn: () => api.get<BundleApplication>(`/api/bundle-applications/${id}`), enabled: !!id });
  const b = useBundle(q.data?.bundleCode);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [memberProblems, setMemberProblems] = useState<Record<number, string[]>>({});
  const ba = q.data;
  const members = useQueries({
    queries: (ba?.applications ?? []).map((m) => ({ queryKey: ['svc', 'item', m.itemCode], queryFn: () => api.get<ItemDetail>(`/api/public/svc/items/${encodeURIComponent(m.itemCode)}`), staleTime: 60_000 })),
  });
  /** A member's problem in words: the field's label or the material's name, from that item's definition. */
  const describe = (index: number, kind: string, key: string): string => {
    const item = members[index]?.data;
    if (kind === 'materials') return t('hall.bundle.needMaterial', { name: item?.materials.find((m) => m.key === key)?.name ?? key });
    const field = item?.form.fields.find((f) => f.key === key);
    return t('hall.bundle.needField', { name: field ? tx(field.label, locale) : key });
  };
  if (!ba) return <Shell title={t('hall.bundle.title')}>{q.isPending ? <Loading /> : <ErrorBox error={q.error} retry={() => void q.refetch()} />}</Shell>;
  const refresh = () => {
    void q.refetch();
    void qc.invalidateQueries({ queryKey: ['applications'] });
    void qc.invalidateQueries({ queryKey: ['bundle-applications'] });
  };
  const draft = ba.state === 'draft';
  const run = async (fn: () => Promise<unknown>): Promise<FieldErrors | null> => {
    setBusy(true);
    setError('');
    setMemberProblems({});
    try {
      await fn();
      refresh();
      return null;
    } catch (e) {
      // Problems of one member (/applications/<i>/data|materials/<key>) are listed under that member.
      const byMember: Record<number, string[]> = {};
      if (e instanceof ApiError) {
        for (const p of e.problem.errors ?? []) {
          const m = /^\/applications\/(\d+)\/(data|materials)\/([^/]+)/.exec(p.path);
          if (m) (byMember[Number(m[1])] ??= []).push(describe(Number(m[1]), m[2], m[3]));
        }
      }
      if (Object.keys(byMember).length) {
        setMemberProblems(byMember);
        setError(t('hall.bundle.membersIncomplete'));
        return null;
      }
      const { fields, other } = serverFieldErrors(e);
      setError([...other, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)].join('；') || errorMessage(e, t));
      return fields;
    } finally {
      setBusy(false);
    }
  };
  const canWithdraw = ba.applications.some((m) => ['draft', 'submitted', 'accepted', 'correction_requested', 'resubmitted'].includes(m.state));
  return (
    <Shell title={ba.bundleName} back="/applications">
      <div className="item-head">
        <span className="state-badge tone-blue" data-testid="bundle-state">
          {t(`hall.bundleState.${ba.state}`, { defaultValue: ba.stateLabel ?? ba.state })}
        </span>
        <span className="muted small">{formatDateTime(ba.createdAt, locale, false)}</span>
      </div>
      <Panel title={t('hall.bundle.memberApps')} testId="bundle-member-apps">
        <ul className="row-list">
          {ba.applications.map((m, n) => (
            <li key={m.id}>
              <Link to={`/applications/${m.id}`} className="row-link">
                <span className="row-main">
                  <strong>{m.itemName}</strong>
                  <span className="muted small">{draft ? t('hall.bundle.addMaterials') : m.itemCode}</span>
                  {memberProblems[n] && (
                    <span className="field-error" data-testid="member-problems">
                      {memberProblems[n].join('；')}
                    </span>
                  )}
                </span>
                <StateBadge state={m.state} />
              </Link>
            </li>
          ))}
        </ul>
      </Panel>
      {draft && b.data && (
        <Panel title={t('hall.bundle.form')}>
          <SharedForm
            form={b.data.form}
            initial={ba.data}
            busy={busy}
            submitLabel={t('hall.bundle.submitAll')}
            onSubmit={(data) =>
              run(async () => {
                await api.patch(`/api/bundle-applications/${ba.id}`, { data });
                await api.post(`/api/bundle-applications/${ba.id}/submit`);
              })
            }
          />
        </Panel>
      )}
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      {canWithdraw && (
        <button type="button" className="btn btn-outline-danger btn-block" disabled={busy} onClick={() => window.confirm(t('hall.app.withdrawConfirm')) && void run(() => api.post(`/api/bundle-applications/${ba.id}/withdraw`, {}))}>
          {t('hall.bundle.withdrawAll')}
        </button>
      )}
    </Shell>
  );
}
