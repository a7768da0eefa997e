// My applications: the list with states and deadlines, and one application — its form and
// materials while it is a draft or a correction is asked for, otherwise its result (the rule trace
// of an automatic approval, the reason it went to a person), its timeline, withdrawal and rating.
import { useEffect, useId, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, api, csrfToken } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { formatDate, formatDateTime } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useMe } from '../shared/session';
import { DynamicForm, cleanValues, serverFieldErrors, validateValues, type FieldErrors, type Values } from './DynamicForm';
import { Empty, ErrorBox, Loading, ModeBadge, Panel, Shell, StateBadge } from './shell';
import { DecisionLink } from './seal/DecisionLink';
import { WalletMaterialPicker } from './wallet/MaterialPicker';
import { OPEN_STATES, tx, useItem, type AppMaterial, type AppState, type Application, type BundleApplication, type Material, type Mode } from './svc';

const WITHDRAWABLE: AppState[] = ['draft', 'submitted', 'accepted', 'correction_requested', 'resubmitted'];

function Deadline({ a }: { a: Application }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!a.dueDate || !OPEN_STATES.includes(a.state) || a.state === 'draft') return null;
  return (
    <span className={a.overdue ? 'deadline overdue' : 'deadline'} data-testid={a.overdue ? 'overdue' : 'deadline'}>
      {a.overdue ? t('hall.app.overdue', { date: formatDate(a.dueAt ?? a.dueDate, locale) }) : t('hall.app.due', { date: a.dueDate })}
    </span>
  );
}

function ActingNote({ a, myId }: { a: Application; myId?: string }) {
  const { t } = useTranslation();
  if (!a.agentId) return null;
  const agentName = a.history?.find((h) => h.onBehalfOf && h.actorId === a.agentId)?.actor;
  if (a.agentId === myId) return <span className="tag tag-blue">{t('hall.app.youFor', { name: a.applicant.name })}</span>;
  return <span className="tag tag-blue" data-testid="acted-for-me">{t('hall.app.actedForYou', { name: agentName ?? t('hall.app.relative') })}</span>;
}

export function ApplicationsList() {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? '';
  const list = useQuery({ queryKey: ['applications', state], queryFn: () => api.get<{ items: Application[]; total: number }>('/api/applications', { state: state || undefined, limit: 100 }) });
  const bundles = useQuery({ queryKey: ['bundle-applications'], queryFn: () => api.get<{ items: BundleApplication[]; total: number }>('/api/bundle-applications', { limit: 50 }) });
  const inBundle = new Set((bundles.data?.items ?? []).flatMap((b) => b.applications.map((m) => m.id)));
  const singles = (list.data?.items ?? []).filter((a) => !a.bundleApplicationId && !inBundle.has(a.id));
  const overdue = singles.filter((a) => a.overdue).length;
  const states: AppState[] = ['draft', 'submitted', 'correction_requested', 'approved', 'completed', 'rejected', 'withdrawn'];
  return (
    <Shell title={t('hall.app.mine')}>
      <div className="filter-inline">
        <label htmlFor="state-filter">{t('hall.app.stateFilter')}</label>
        <select id="state-filter" value={state} onChange={(e) => setParams(e.target.value ? { state: e.target.value } : {})}>
          <option value="">{t('hall.search.any')}</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`hall.state.${s}`)}
            </option>
          ))}
        </select>
        {overdue > 0 && <span className="deadline overdue">{t('hall.app.overdueCount', { count: overdue })}</span>}
      </div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} retry={() => void list.refetch()} />}
      {!state && bundles.data && bundles.data.items.length > 0 && (
        <Panel title={t('hall.bundle.mine')} testId="bundle-apps">
          <ul className="row-list">
            {bundles.data.items.map((b) => (
              <li key={b.id}>
                <Link to={`/bundle-applications/${b.id}`} className="row-link">
                  <span className="row-main">
                    <strong>{b.bundleName}</strong>
                    <span className="muted small">
                      {t('hall.bundle.members', { count: b.applications.length })} · {formatDateTime(b.createdAt, locale, false)}
                    </span>
                  </span>
                  <span className="state-badge tone-blue">{t(`hall.bundleState.${b.state}`, { defaultValue: b.stateLabel ?? b.state })}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
      )}
      {list.data && singles.length === 0 && (
        <Empty>
          <p>{t('hall.app.none')}</p>
          <Link to="/search" className="btn btn-primary">
            {t('hall.app.findService')}
          </Link>
        </Empty>
      )}
      {singles.length > 0 && (
        <ul className="row-list card" data-testid="applications">
          {singles.map((a) => (
            <li key={a.id}>
              <Link to={`/applications/${a.id}`} className="row-link">
                <span className="row-main">
                  <strong>{a.item.name}</strong>
                  <span className="muted small">
                    {a.submittedAt ? t('hall.app.submittedAt', { at: formatDateTime(a.submittedAt, locale, false) }) : t('hall.app.createdAt', { at: formatDateTime(a.createdAt, locale, false) })}
                  </span>
                  <span className="row-tags">
                    <Deadline a={a} />
                    <ActingNote a={a} myId={me.data?.user.id} />
                  </span>
                </span>
                <StateBadge state={a.state} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Shell>
  );
}

/** Uploads a file as the raw body with progress, the way the material route wants it. */
function uploadFile(appId: string, key: string, file: File, onProgress: (pct: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/applications/${appId}/materials/${encodeURIComponent(key)}?fileName=${encodeURIComponent(file.name)}`);
    const token = csrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let problem = { status: xhr.status, title: xhr.statusText } as Record<string, unknown>;
        try {
          problem = JSON.parse(xhr.responseText) as Record<string, unknown>;
        } catch {
          /* not JSON */
        }
        reject(new ApiError(xhr.status, problem));
      }
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

function MaterialRow({ appId, m, have, error, editable, onChanged }: { appId: string; m: Material; have?: AppMaterial; error?: string; editable: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const accept = m.upload?.types.map((x) => `.${x}`).join(',');
  const pick = async (file: File | undefined) => {
    if (!file || !m.upload) return;
    setProblem('');
    const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
    const types = m.upload.types.map((x) => x.toLowerCase());
    if (!types.includes(ext) && !(ext === 'jpeg' && types.includes('jpg'))) {
      setProblem(t('hall.material.badType', { types: m.upload.types.join(' / ').toUpperCase() }));
      return;
    }
    if (file.size > m.upload.maxSizeMb * 1024 * 1024) {
      setProblem(t('hall.material.tooBig', { mb: m.upload.maxSizeMb }));
      return;
    }
    setProgress(0);
    try {
      await uploadFile(appId, m.key, file, setProgress);
      onChanged();
    } catch (e) {
      setProblem(e instanceof ApiError && e.status === 413 ? t('hall.material.tooBig', { mb: m.upload.maxSizeMb }) : e instanceof ApiError && e.status === 415 ? t('hall.material.badContent') : errorMessage(e, t));
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };
  const remove = async () => {
    setProblem('');
    try {
      await api.del(`/api/applications/${appId}/materials/${encodeURIComponent(m.key)}`);
      onChanged();
    } catch (e) {
      setProblem(errorMessage(e, t));
    }
  };
  const shown = problem || error;
  return (
    <li className={`material${shown ? ' field-invalid' : ''}`} data-testid={`material-${m.key}`}>
      <div className="material-head">
        <strong id={`${id}-name`}>{m.name}</strong> {m.required ? <span className="tag tag-red">{t('hall.item.required')}</span> : <span className="tag">{t('hall.item.optional')}</span>}
      </div>
      <div className="muted small">
        {m.upload ? t('hall.item.uploadTypes', { types: m.upload.types.join(' / ').toUpperCase(), mb: m.upload.maxSizeMb }) : t('wallet.material.onlyCertificate')}
        {m.certificateType && <> · {t('hall.item.certificate', { name: m.certificateType })}</>}
      </div>
      {have && (
        <p className="material-file" data-testid="material-file">
          ✓ {have.kind === 'upload' ? `${have.fileName} (${Math.max(1, Math.round((have.size ?? 0) / 1024))} KB)` : t('wallet.material.chosen', { name: have.certificateType ?? '' })}
        </p>
      )}
      {progress !== null && (
        <progress max={100} value={progress} aria-label={t('hall.material.uploading', { name: m.name })}>
          {progress}%
        </progress>
      )}
      {editable && m.certificateType && <WalletMaterialPicker appId={appId} materialKey={m.key} certificateType={m.certificateType} chosenId={have?.kind === 'certificate' ? have.certificateId : null} onChanged={onChanged} />}
      {editable && m.upload && (
        <div className="material-actions">
          <input ref={input} id={`${id}-file`} type="file" accept={accept} className="sr-only" onChange={(e) => void pick(e.target.files?.[0])} data-testid={`file-${m.key}`} aria-describedby={`${id}-name`} />
          <label htmlFor={`${id}-file`} className="btn btn-ghost btn-small">
            {have ? t('hall.material.replace') : t('hall.material.upload')}
          </label>
          {have && (
            <button type="button" className="btn btn-text btn-small" onClick={() => void remove()}>
              {t('hall.material.remove')}
            </button>
          )}
        </div>
      )}
      {shown && (
        <p className="field-error" role="alert">
          {shown}
        </p>
      )}
    </li>
  );
}

function ApplyForm({ a, onDone }: { a: Application; onDone: () => void }) {
  const { t } = useTranslation();
  const item = useItem(a.item.code);
  const [values, setValues] = useState<Values>(a.data ?? {});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const correction = a.state === 'correction_requested';
  const inBundle = !!a.bundleApplicationId;
  const form = item.data?.form;

  if (item.isPending) return <Loading />;
  if (!form || !item.data) return <ErrorBox error={item.error} />;

  const have = new Map((a.materials ?? []).map((m) => [m.key, m]));
  const change = (k: string, v: unknown) => {
    setValues((old) => ({ ...old, [k]: v }));
    if (errors[k]) setErrors(({ [k]: _drop, ...rest }) => rest);
  };
  const save = async (submit: boolean) => {
    setMessage('');
    setSaved('');
    const local = validateValues(form, values, t, submit);
    if (submit) for (const m of item.data!.materials) if (m.required && m.upload && !m.certificateType && !have.has(m.key)) local[`material:${m.key}`] = t('hall.material.missing');
    setErrors(local);
    if (Object.keys(local).length) {
      setMessage(t('register.fixErrors'));
      document.querySelector<HTMLElement>('.field-invalid input, .field-invalid select, .material.field-invalid')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.patch(`/api/applications/${a.id}`, { data: cleanValues(form, values) });
      if (submit) await api.post(`/api/applications/${a.id}/${correction ? 'resubmit' : 'submit'}`);
      else setSaved(t('hall.app.draftSaved'));
      onDone();
    } catch (e) {
      const { fields, other } = serverFieldErrors(e);
      setErrors(fields);
      setMessage(Object.keys(fields).length ? t('register.fixErrors') : other.join('；') || errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save(true);
      }}
      noValidate
      aria-label={t('hall.app.formLabel')}
    >
      {correction && a.lastReason && (
        <p className="note note-warn" role="note">
          {t('hall.app.correctionAsked', { reason: a.lastReason })}
        </p>
      )}
      <Panel title={t('hall.app.form')}>
        <DynamicForm form={form} values={values} errors={errors} onChange={change} disabled={busy} />
      </Panel>
      <Panel title={t('hall.item.materials')}>
        <ul className="material-list">
          {item.data.materials.map((m) => (
            <MaterialRow key={m.key} appId={a.id} m={m} have={have.get(m.key)} error={errors[`material:${m.key}`]} editable onChanged={onDone} />
          ))}
        </ul>
      </Panel>
      {message && (
        <p className="alert" role="alert" data-testid="form-message">
          {message}
        </p>
      )}
      {saved && (
        <p className="note" role="status">
          {saved}
        </p>
      )}
      <div className="apply-bar">
        {inBundle ? (
          <>
            <button type="button" className="btn btn-primary btn-block" disabled={busy} onClick={() => void save(false)}>
              {t('action.save')}
            </button>
            <Link className="btn btn-ghost btn-block" to={`/bundle-applications/${a.bundleApplicationId}`}>
              {t('hall.bundle.backToBundle')}
            </Link>
          </>
        ) : (
          <>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="submit">
              {correction ? t('hall.app.resubmit') : t('hall.app.submit')}
            </button>
            <button type="button" className="btn btn-ghost btn-block" disabled={busy} onClick={() => void save(false)} data-testid="save-draft">
              {t('hall.app.saveDraft')}
            </button>
          </>
        )}
      </div>
    </form>
  );
}

function factText(facts: Record<string, unknown>): string {
  return Object.entries(facts)
    .map(([k, v]) => `${k} = ${v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('；');
}

function AutoResult({ a }: { a: Application }) {
  const { t } = useTranslation();
  if (!a.auto) return null;
  const approved = a.auto.outcome === 'approved';
  return (
    <Panel title={approved ? t('hall.auto.approved') : t('hall.auto.fallback')} testId="auto-result">
      {approved ? (
        <p className="result-ok" data-testid="auto-approved">
          ✓ {t('hall.auto.approvedText')}
        </p>
      ) : (
        <p className="note note-warn" data-testid="auto-fallback">
          {t('hall.auto.fallbackText', { reason: a.auto.reason })}
        </p>
      )}
      <p className="muted small">{a.auto.ruleDescription}</p>
      <h3 className="sub-title">{t('hall.auto.trace')}</h3>
      <ol className="trace" data-testid="rule-trace">
        {a.auto.trace.map((c) => (
          <li key={c.id} className={`trace-${c.result}`}>
            <span className={`trace-mark trace-mark-${c.result}`}>{t(`hall.auto.result.${c.result}`)}</span>
            <div>
              <strong>{c.label}</strong>
              <div className="muted small">
                {t('hall.auto.factsRead')}
                {factText(c.facts) || '—'}
                {c.missing.length > 0 && ` · ${t('hall.auto.missing')}${c.missing.join('、')}`}
              </div>
            </div>
          </li>
        ))}
      </ol>
      {a.decision && (
        <>
          <h3 className="sub-title">{t('hall.auto.document')}</h3>
          <pre className="decision-doc" data-testid="decision-doc">
            {String(a.decision.text ?? '')}
          </pre>
        </>
      )}
    </Panel>
  );
}

/** ID numbers are shown masked on screen (first 3, last 4), as everywhere in the portal. */
function maskId(id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4);
}

/** What was sent: the form's values as labelled in the form, and the materials attached. */
function SubmittedData({ a }: { a: Application }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const item = useItem(a.item.code);
  const form = item.data?.form;
  if (!form) return null;
  const show = (v: unknown, options?: { value: string; label: { zh: string; en: string } }[]): string => {
    if (v === true) return t('hall.yes');
    if (v === false) return t('hall.no');
    if (Array.isArray(v)) return v.map((x) => show(x, options)).join('、');
    const o = options?.find((x) => x.value === v);
    return o ? tx(o.label, locale) : String(v);
  };
  const materialName = (key: string) => item.data?.materials.find((m) => m.key === key)?.name ?? key;
  return (
    <Panel title={t('hall.app.submitted')} testId="submitted-data">
      <dl className="facts">
        {form.fields
          .filter((f) => a.data[f.key] !== undefined && a.data[f.key] !== null && a.data[f.key] !== '')
          .map((f) => (
            <div key={f.key}>
              <dt>{tx(f.label, locale)}</dt>
              <dd>{f.type === 'idNumber' ? maskId(String(a.data[f.key])) : show(a.data[f.key], f.validation?.options)}</dd>
            </div>
          ))}
        {(a.materials ?? []).map((m) => (
          <div key={m.key}>
            <dt>{materialName(m.key)}</dt>
            <dd>{m.kind === 'upload' ? m.fileName : t('wallet.material.chosen', { name: m.certificateType ?? '' })}</dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}

function Timeline({ a }: { a: Application }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Panel title={t('hall.app.timeline')} testId="timeline">
      <ol className="timeline">
        <li>
          <span className="tl-dot" aria-hidden />
          <div>
            <strong>{t('hall.app.created')}</strong>
            <div className="muted small">{formatDateTime(a.createdAt, locale, false)}</div>
          </div>
        </li>
        {(a.history ?? []).map((h, n) => {
          const rule = h.onBehalfOf?.startsWith('rule:');
          return (
            <li key={n}>
              <span className="tl-dot" aria-hidden />
              <div>
                <strong>{t(`hall.action.${h.action}`, { defaultValue: h.action })}</strong> <span className="muted small">→ {t(`hall.state.${h.to}`)}</span>
                <div className="small">
                  {rule ? t('hall.app.byRule', { rule: h.onBehalfOf!.slice(5) }) : h.onBehalfOf ? <span data-testid="acting-for">{t('hall.app.actingFor', { agent: h.actor, principal: h.onBehalfOf === a.applicant.id ? a.applicant.name : t('hall.app.relative') })}</span> : h.actor}
                  <span className="muted"> · {formatDateTime(h.at, locale, false)}</span>
                </div>
                {h.reason && <div className="muted small">{t('hall.app.reason', { reason: h.reason })}</div>}
              </div>
            </li>
          );
        })}
      </ol>
    </Panel>
  );
}

function Rating({ a, onDone }: { a: Application; onDone: () => void }) {
  const { t } = useTranslation();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  if (a.state !== 'completed') return null;
  if (a.rating || done)
    return (
      <Panel title={t('hall.rate.title')}>
        <p>{t('hall.rate.thanks', { score: a.rating?.score ?? score })}</p>
      </Panel>
    );
  return (
    <Panel title={t('hall.rate.title')} testId="rating">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!score) return;
          api
            .post(`/api/applications/${a.id}/rating`, { score, comment: comment.trim() || undefined })
            .then(() => {
              setDone(true);
              onDone();
            })
            .catch((err) => setError(err));
        }}
      >
        <fieldset className="stars">
          <legend>{t('hall.rate.score')}</legend>
          {[1, 2, 3, 4, 5].map((s) => (
            <label key={s} className={s <= score ? 'star on' : 'star'}>
              <input type="radio" name="score" value={s} checked={score === s} onChange={() => setScore(s)} className="sr-only" />
              <span aria-hidden>★</span>
              <span className="sr-only">{t('hall.rate.stars', { count: s })}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="rate-comment">{t('hall.rate.comment')}</label>
          <textarea id="rate-comment" maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} rows={3} />
        </div>
        {error != null && (
          <p className="alert" role="alert">
            {errorMessage(error, t)}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={!score}>
          {t('hall.rate.submit')}
        </button>
      </form>
    </Panel>
  );
}

export function ApplicationPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const qc = useQueryClient();
  const me = useMe();
  const q = useQuery({ queryKey: ['application', id], queryFn: () => api.get<Application>(`/api/applications/${id}`), enabled: !!id });
  const [error, setError] = useState<unknown>(null);
  const a = q.data;
  const refresh = () => {
    void q.refetch();
    void qc.invalidateQueries({ queryKey: ['applications'] });
    void qc.invalidateQueries({ queryKey: ['notifications'] });
  };
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [a?.state]);
  if (!a) {
    return <Shell title={t('hall.app.title')}>{q.isPending ? <Loading /> : <ErrorBox error={q.error} retry={() => void q.refetch()} />}</Shell>;
  }
  const editable = a.state === 'draft' || a.state === 'correction_requested';
  const withdraw = async () => {
    if (!window.confirm(t('hall.app.withdrawConfirm'))) return;
    setError(null);
    try {
      await api.post(`/api/applications/${a.id}/withdraw`, {});
      refresh();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Shell title={a.item.name} back={a.bundleApplicationId ? `/bundle-applications/${a.bundleApplicationId}` : '/applications'}>
      <div className="item-head">
        <StateBadge state={a.state} />
        <ModeBadge mode={a.item.mode as Mode} />
        <Deadline a={a} />
        <ActingNote a={a} myId={me.data?.user.id} />
      </div>
      <p className="muted small">
        {t('hall.app.number', { id: a.id })} · {t('hall.app.applicant', { name: a.applicant.name })}
      </p>
      {editable ? (
        <ApplyForm key={a.state} a={a} onDone={refresh} />
      ) : (
        <>
          <AutoResult a={a} />
          <DecisionLink a={a} />
          {!a.auto && a.lastReason && (a.state === 'rejected' || a.state === 'submitted') && <p className="note">{t('hall.app.reason', { reason: a.lastReason })}</p>}
          {a.decision && !a.auto && (
            <Panel title={t('hall.auto.document')}>
              <pre className="decision-doc">{String(a.decision.text ?? '')}</pre>
            </Panel>
          )}
          <Rating a={a} onDone={refresh} />
          <SubmittedData a={a} />
        </>
      )}
      <Timeline a={a} />
      {error != null && (
        <p className="alert" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      {WITHDRAWABLE.includes(a.state) && !a.bundleApplicationId && (
        <button type="button" className="btn btn-outline-danger btn-block" onClick={() => void withdraw()} data-testid="withdraw">
          {t('hall.app.withdraw')}
        </button>
      )}
    </Shell>
  );
}
