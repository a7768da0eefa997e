// Enterprise credit repair: my penalties with eligibility, the application (commitment letter,
// statement, proof of performance), following it (timeline, deadlines, more material), my profile.
import { useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { useLocale } from '../../shared/i18n';
import type { Me, Page } from '../../shared/types';
import { recordSummary } from '../../shared/credit/fields';
import { materialUrl, repairDeadlines } from '../../shared/credit/deadlines';
import type { CreditProfile, CreditRecord, MyPenalty, Repair, RepairRow } from '../../shared/credit/types';
import { uploadFile } from '../../shared/credit/upload';
import { CreditFrame, RecordCard, Spinner } from './shared';

const CLOSED = ['rejected', 'withdrawn', 'synced'];

function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  const tone = state === 'rejected' ? 'bad' : CLOSED.includes(state) ? 'good' : state === 'material_requested' ? 'warn' : 'info';
  return (
    <span className={`pill pill-${tone}`} data-testid="repair-state">
      {t(`credit.repairState.${state}`, { defaultValue: state })}
    </span>
  );
}

function Eligibility({ p }: { p: MyPenalty }) {
  const { t } = useTranslation();
  const r = p.repair;
  if (r.openRepairId)
    return (
      <Link className="btn btn-primary btn-block" to={`/credit/repairs/${r.openRepairId}`} data-testid="follow-repair">
        {t('credit.repair.follow')}
      </Link>
    );
  if (r.eligible)
    return (
      <div className="elig">
        <span className="pill pill-good" data-testid="eligibility">
          {t('credit.repair.eligible')}
        </span>
        <Link className="btn btn-primary" to={`/credit/repair/apply/${p.id}`} data-testid="apply-repair">
          {t('credit.repair.apply')}
        </Link>
      </div>
    );
  return (
    <div className="elig">
      <span className="pill pill-muted" data-testid="eligibility">
        {r.eligibleFrom ? t('credit.repair.eligibleFrom', { date: r.eligibleFrom.slice(0, 10) }) : t('credit.repair.notEligible')}
      </span>
      {r.reason && <span className="muted small">{t(`credit.eligReason.${r.reason}`, { defaultValue: r.reason })}</span>}
    </div>
  );
}

/** Only enterprise accounts act for an organisation's credit code. */
function EnterpriseOnly({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <div className="card section">
      <h2>{t('credit.repair.enterpriseOnly')}</h2>
      <p className="muted small">{t('credit.repair.enterpriseOnlyHint')}</p>
      <p className="small">
        {me.user.displayName} · {t(`kind.${me.user.kind}`)}
      </p>
    </div>
  );
}

export function MyPenalties({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const isEnterprise = me.user.kind === 'enterprise';
  const penalties = useQuery({ queryKey: ['credit', 'my', 'penalties'], queryFn: () => api.get<ResponseOf<'/api/credit/my/penalties'>>('/api/credit/my/penalties'), enabled: isEnterprise });
  const repairs = useQuery({ queryKey: ['credit', 'my', 'repairs'], queryFn: () => api.get<Page<RepairRow>>('/api/credit/repairs', { limit: 50 }), enabled: isEnterprise });
  const list = penalties.data?.items ?? [];
  return (
    <CreditFrame title={t('credit.repair.title')} subtitle={me.org?.name}>
      {!isEnterprise ? (
        <EnterpriseOnly me={me} />
      ) : (
        <>
          <p className="card section small intro">{t('credit.repair.intro')}</p>
          <section aria-labelledby="my-penalties">
            <h2 id="my-penalties" className="list-title">
              {t('credit.repair.myPenalties')}
            </h2>
            {penalties.isPending && <Spinner />}
            {penalties.isError && <p className="alert">{errorMessage(penalties.error, t)}</p>}
            {penalties.data && list.length === 0 && <p className="card section muted">{t('credit.repair.none')}</p>}
            <div className="rec-list" data-testid="my-penalties">
              {list.map((p) => (
                <RecordCard key={p.id} r={p} testId="my-penalty" extra={<Eligibility p={p} />} />
              ))}
            </div>
          </section>
          <section aria-labelledby="my-repairs">
            <h2 id="my-repairs" className="list-title">
              {t('credit.repair.myRepairs')}
            </h2>
            {repairs.isError && <p className="alert">{errorMessage(repairs.error, t)}</p>}
            {repairs.data && repairs.data.items.length === 0 && <p className="card section muted">{t('credit.repair.noRepairs')}</p>}
            <ul className="hit-list">
              {repairs.data?.items.map((r) => (
                <li key={r.id}>
                  <Link to={`/credit/repairs/${r.id}`} className="card hit" data-testid="my-repair">
                    <strong>{r.documentNo ?? ''}</strong>
                    <span className="small muted">{formatDateTime(r.submittedAt ?? r.createdAt, locale, false)}</span>
                    <StateBadge state={r.state} />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </CreditFrame>
  );
}

/** A labelled file input with its hint or error underneath. */
function FilePick({ id, label, hint, error, file, onPick }: { id: string; label: string; hint: string; error?: string; file: File | null; onPick: (f: File | null) => void }) {
  const { t } = useTranslation();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" accept=".pdf,.jpg,.jpeg,.png" className="file-input" onChange={(e) => onPick(e.target.files?.[0] ?? null)} aria-describedby={`${id}-note`} aria-invalid={error ? true : undefined} data-testid={id} />
      <p id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>
        {error || (file ? t('credit.repair.chosenFile', { name: file.name }) : hint)}
      </p>
    </div>
  );
}

export function ApplyRepair({ me }: { me: Me }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { penaltyId = '' } = useParams();
  const penalties = useQuery({ queryKey: ['credit', 'my', 'penalties'], queryFn: () => api.get<ResponseOf<'/api/credit/my/penalties'>>('/api/credit/my/penalties'), enabled: me.user.kind === 'enterprise' });
  const letter = useQuery({ queryKey: ['credit', 'commitment', penaltyId], queryFn: () => api.get<ResponseOf<'/api/credit/repairs/commitment'>>('/api/credit/repairs/commitment', { penaltyId }), enabled: me.user.kind === 'enterprise' });
  const [accepted, setAccepted] = useState(false);
  const [statement, setStatement] = useState('');
  const [proof, setProof] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const draftId = useRef<string | null>(null);
  /** A corrected field loses its error at once (and the summary with the last one). */
  const fixed = (key: string) =>
    setErrors((old) => {
      if (!old[key]) return old;
      const next = { ...old };
      delete next[key];
      if (!Object.keys(next).length) setFailure('');
      return next;
    });

  if (me.user.kind !== 'enterprise')
    return (
      <CreditFrame title={t('credit.repair.applyTitle')}>
        <EnterpriseOnly me={me} />
      </CreditFrame>
    );
  const list = penalties.data?.items ?? [];
  const penalty: CreditRecord | undefined = list.find((p) => p.id === penaltyId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!accepted) errs.commitment = t('credit.repair.commitmentRequired');
    if (statement.trim().length < 10) errs.statement = t('credit.repair.statementRequired');
    if (!proof) errs.proof = t('credit.repair.proofRequired');
    setErrors(errs);
    setFailure(Object.keys(errs).length ? t('credit.repair.fixErrors') : '');
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      // A retry after a failed upload reuses the draft instead of opening a second application.
      if (!draftId.current) {
        const draft = await api.post<Repair>('/api/credit/repairs', { penaltyId, commitmentAccepted: true, statement: statement.trim() });
        draftId.current = draft.id;
      }
      const id = draftId.current;
      await uploadFile(`/api/credit/repairs/${id}/materials`, proof!, { key: 'performance_proof' });
      await api.post(`/api/credit/repairs/${id}/submit`);
      void qc.invalidateQueries({ queryKey: ['credit'] });
      nav(`/credit/repairs/${id}`, { state: { submitted: true } });
    } catch (err) {
      setFailure(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <CreditFrame title={t('credit.repair.applyTitle')} back={{ to: '/credit/repair', label: t('credit.nav.repair') }}>
      <form onSubmit={(e) => void submit(e)} noValidate className="apply-form">
        <section className="apply-step" aria-labelledby="step1">
          <h2 id="step1">{t('credit.repair.step1')}</h2>
          {penalties.isPending && <Spinner />}
          {penalty ? <RecordCard r={penalty} /> : penalties.data && <p className="alert">{t('errors.notFound')}</p>}
        </section>
        <section className="apply-step" aria-labelledby="step2">
          <h2 id="step2">{t('credit.repair.step2')}</h2>
          {letter.isPending && <Spinner />}
          {letter.isError && <p className="alert">{errorMessage(letter.error, t)}</p>}
          {letter.data && (
            <div className="card letter" tabIndex={0} aria-label={t('credit.repair.step2')} data-testid="commitment-text">
              {letter.data.text}
            </div>
          )}
          <label className={`check${errors.commitment ? ' check-invalid' : ''}`}>
            <input type="checkbox" checked={accepted} onChange={(e) => {
                setAccepted(e.target.checked);
                if (e.target.checked) fixed('commitment');
              }} data-testid="commitment-accept" aria-describedby={errors.commitment ? 'commitment-error' : undefined} />
            <span>{t('credit.repair.commitmentRead')}</span>
          </label>
          {errors.commitment && (
            <p id="commitment-error" className="field-error">
              {errors.commitment}
            </p>
          )}
        </section>
        <section className="apply-step" aria-labelledby="step3">
          <h2 id="step3">{t('credit.repair.step3')}</h2>
          <div className={`field${errors.statement ? ' field-invalid' : ''}`}>
            <label htmlFor="statement">{t('credit.repair.statementLabel')}</label>
            <textarea
              id="statement"
              rows={5}
              maxLength={2000}
              value={statement}
              onChange={(e) => {
                setStatement(e.target.value);
                if (e.target.value.trim().length >= 10) fixed('statement');
              }}
              placeholder={t('credit.repair.statementPlaceholder')}
              aria-invalid={errors.statement ? true : undefined}
              aria-describedby={errors.statement ? 'statement-error' : undefined}
              data-testid="statement"
            />
            {errors.statement && (
              <p id="statement-error" className="field-error">
                {errors.statement}
              </p>
            )}
          </div>
        </section>
        <section className="apply-step" aria-labelledby="step4">
          <h2 id="step4">{t('credit.repair.step4')}</h2>
          <FilePick id="proof" label={t('credit.repair.proofLabel')} hint={t('credit.repair.proofHint')} error={errors.proof} file={proof} onPick={(f) => {
              setProof(f);
              if (f) fixed('proof');
            }} />
        </section>
        {failure && (
          <p className="alert" role="alert">
            {failure}
          </p>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !penalty} data-testid="repair-submit">
          {busy ? t('credit.repair.submitting') : t('credit.repair.submit')}
        </button>
      </form>
    </CreditFrame>
  );
}

export function RepairProgress({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const qc = useQueryClient();
  const { id = '' } = useParams();
  const repair = useQuery({ queryKey: ['credit', 'repair', id], queryFn: () => api.get<Repair>(`/api/credit/repairs/${id}`), enabled: me.user.kind === 'enterprise' });
  const [file, setFile] = useState<File | null>(null);
  const [materialKey, setMaterialKey] = useState('performance_proof');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const [done, setDone] = useState('');
  const r = repair.data;
  const materialKeys = r?.requiredMaterials?.map((m) => m.key) ?? ['performance_proof'];
  const lastReason = r?.timeline
    ?.slice()
    .reverse()
    .find((e) => e.action === 'request-material' || e.to === 'material_requested')?.reason;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!r) return;
    if (!file) {
      setFailure(t('credit.repair.proofRequired'));
      return;
    }
    setBusy(true);
    setFailure('');
    try {
      await uploadFile(`/api/credit/repairs/${r.id}/materials`, file, { key: materialKey });
      await api.post(`/api/credit/repairs/${r.id}/${r.state === 'draft' ? 'submit' : 'resubmit'}`);
      setFile(null);
      setDone(r.state === 'draft' ? t('credit.repair.submitted') : t('credit.repair.resubmitted'));
      void qc.invalidateQueries({ queryKey: ['credit'] });
    } catch (err) {
      setFailure(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <CreditFrame title={t('credit.repair.detailTitle')} back={{ to: '/credit/repair', label: t('credit.nav.repair') }}>
      {repair.isPending && <Spinner />}
      {repair.isError && <p className="alert">{errorMessage(repair.error, t)}</p>}
      {r && (
        <>
          <section className="card section" aria-label={t('credit.repair.detailTitle')}>
            <div className="section-head">
              <h2>{r.penalty ? recordSummary('penalty', r.penalty.record).docNo : ''}</h2>
              <StateBadge state={r.state} />
            </div>
            {(r.state === 'withdrawn' || r.state === 'synced') && <p className="note note-good">{t('credit.repair.approvedNote')}</p>}
            {r.state === 'rejected' && (
              <p className="note note-bad">
                {t('credit.repair.rejectedNote')}
                {r.reason ?? ''}
              </p>
            )}
            {done && (
              <p className="note note-good" role="status">
                {done}
              </p>
            )}
            {repairDeadlines(r).length > 0 && (
              <dl className="rec-rows">
                {repairDeadlines(r).map((d) => (
                  <div key={d.key}>
                    <dt>{t(`credit.repairDue.${d.key}`, { defaultValue: d.key })}</dt>
                    <dd>{d.at.slice(0, 10)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>

          {(r.state === 'material_requested' || r.state === 'draft') && (
            <form className="card section" onSubmit={(e) => void send(e)} noValidate>
              {r.state === 'material_requested' && (
                <>
                  <h2>{t('credit.repair.requested')}</h2>
                  {lastReason && <p className="note note-warn" data-testid="material-reason">{lastReason}</p>}
                </>
              )}
              <div className="field">
                <label htmlFor="material-key">{t('credit.repair.materialKind')}</label>
                <select id="material-key" className="select" value={materialKey} onChange={(e) => setMaterialKey(e.target.value)}>
                  {materialKeys.map((k) => (
                    <option key={k} value={k}>
                      {t(`credit.material.${k}`, { defaultValue: k })}
                    </option>
                  ))}
                </select>
              </div>
              <FilePick
                id="more-material"
                label={r.state === 'draft' ? t('credit.repair.proofLabel') : t('credit.repair.resubmitLabel')}
                hint={t('credit.repair.proofHint')}
                file={file}
                onPick={setFile}
              />
              {failure && <p className="alert">{failure}</p>}
              <button className="btn btn-primary btn-block" type="submit" disabled={busy} data-testid="resubmit">
                {r.state === 'draft' ? t('credit.repair.uploadAndSubmit') : t('credit.repair.resubmit')}
              </button>
            </form>
          )}

          <section className="card section" aria-labelledby="timeline">
            <h2 id="timeline">{t('credit.repair.timeline')}</h2>
            <ol className="timeline" data-testid="repair-timeline">
              {(r.timeline ?? []).map((e, i) => {
                const what = e.action ?? e.to ?? e.state ?? '';
                return (
                  <li key={i}>
                    <span className="dot dot-blue" aria-hidden />
                    <div>
                      <strong>{t(`credit.repairAction.${what}`, { defaultValue: t(`credit.repairState.${what}`, { defaultValue: what }) })}</strong>
                      <span className="muted small"> {formatDateTime(e.at, locale, false)}</span>
                      {e.reason && <p className="small">{e.reason}</p>}
                    </div>
                  </li>
                );
              })}
            </ol>
          </section>

          {r.materials && r.materials.length > 0 && (
            <section className="card section" aria-labelledby="materials">
              <h2 id="materials">{t('credit.repair.materials')}</h2>
              <ul className="plain-list">
                {r.materials.map((m) => (
                  <li key={m.id}>
                    <a className="link" href={materialUrl(r.id, m)} download={m.fileName}>
                      {m.fileName}
                    </a>{' '}
                    <span className="muted small">{t(`credit.material.${m.key}`, { defaultValue: m.key })}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {r.penalty && <RecordCard r={r.penalty} />}
        </>
      )}
    </CreditFrame>
  );
}

export function MyCreditProfile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const code = me.org?.code ?? '';
  const profile = useQuery({ queryKey: ['credit', 'profile', code], queryFn: () => api.get<CreditProfile>(`/api/credit/profile/${encodeURIComponent(code)}`), enabled: !!code && me.user.kind === 'enterprise' });
  const p = profile.data;
  const inPub = (r: CreditRecord) => r.status === 'published';
  return (
    <CreditFrame title={t('credit.profile.title')} subtitle={p ? `${p.subject.name} · ${p.subject.code}` : me.org?.name}>
      {me.user.kind !== 'enterprise' || !code ? (
        <div className="card section">
          <p className="muted">{me.user.kind !== 'enterprise' ? t('credit.repair.enterpriseOnly') : t('credit.profile.noOrg')}</p>
        </div>
      ) : (
        <>
          {profile.isPending && <Spinner />}
          {profile.isError && <p className="alert">{errorMessage(profile.error, t)}</p>}
          {p && (
            <>
              <ProfileGroup title={t('credit.profile.inPublication')} items={[...p.penalties.filter(inPub), ...p.licences.filter(inPub)]} />
              <ProfileGroup title={t('credit.profile.outOfPublication')} items={[...p.penalties.filter((r) => !inPub(r)), ...p.licences.filter((r) => !inPub(r))]} />
              <section className="card section" aria-labelledby="repair-history">
                <h2 id="repair-history">{t('credit.profile.repairs')}</h2>
                {p.repairs.length === 0 && <p className="muted">{t('credit.profile.noRecords')}</p>}
                <ul className="plain-list">
                  {p.repairs.map((r) => (
                    <li key={r.id}>
                      <Link className="link" to={`/credit/repairs/${r.id}`}>
                        {p.penalties.find((x) => x.id === r.penaltyId)?.documentNo ?? formatDateTime(r.createdAt, locale, false)}
                      </Link>{' '}
                      <StateBadge state={r.state} />
                    </li>
                  ))}
                </ul>
              </section>
            </>
          )}
        </>
      )}
    </CreditFrame>
  );
}

function ProfileGroup({ title, items }: { title: string; items: CreditRecord[] }) {
  const { t } = useTranslation();
  return (
    <section aria-label={title}>
      <h2 className="list-title">
        {title}（{items.length}）
      </h2>
      {items.length === 0 && <p className="card section muted">{t('credit.profile.noRecords')}</p>}
      <div className="rec-list">
        {items.map((r) => (
          <RecordCard key={r.id} r={r} extra={r.status !== 'published' ? <span className="pill pill-muted">{t(`credit.recordStatus.${r.status}`)}</span> : undefined} />
        ))}
      </div>
    </section>
  );
}
