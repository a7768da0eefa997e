// The portal's certificate wallet (claim, look, show with selective disclosure, who verified what) and
// the verifier page (ask for fields, verify what a holder shows). The presentation is built here, in the
// browser, with the holder key that never leaves it.
import { useCallback, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useLocation, useParams } from 'react-router';
import { cryptoKeySigner, presentSdJwt } from '../../../src/lib/sd-jwt';
import { disclosableFields } from '../../../src/modules/cert/wallet/fields';
import { ApiError, api, type Problem } from '../../shared/api';
import { errorMessage } from '../../shared/errors';
import { formatDate, formatDateTime } from '../../shared/format';
import { useLocale } from '../../shared/i18n';
import type { useSession } from '../../shared/session';
import type { ItemOf, ResponseOf } from '../../shared/api-types';
import { SectionFrame } from '../frame';
import { holderKey } from './holderKey';
import { QrImage, QrScanner } from './qr';

type Props = { me: ReturnType<typeof useSession>; signIn: ReactNode };

/** Presentations up to this size go straight into one QR code; larger ones get a one-time handle. */
const MAX_INLINE_QR = 1200;

/** A certificate in my wallet. */
type WalletCert = ItemOf<'/api/wallet/certificates'>;
/** A certificate I could claim (it has no wallet id yet). */
type ClaimableCert = ItemOf<'/api/wallet/claimable'>;
type WalletCertDetail = ResponseOf<'/api/wallet/certificates/{id}'>;
/** A disclosable field of a wallet certificate, with its value. */
type Field = WalletCertDetail['fields'][number];
/** A field as the verifier page offers it (no value: it is the type's field, not a certificate's). */
type FieldLabel = Omit<Field, 'value'>;
type HolderRequest = ResponseOf<'/api/wallet/requests/{code}'>;
type VerificationAnswer = ResponseOf<'/api/cert/verifier/verify', 'post'>;
type VerifierRequest = ResponseOf<'/api/cert/verifier/requests', 'post'>;

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'boolean' ? (v ? '✓' : '✗') : String(v));

function Spinner() {
  return (
    <div className="page-center" aria-busy="true">
      <div className="spinner" />
    </div>
  );
}

function Frame({ title, subtitle, back, tabs, children }: { title: string; subtitle?: string; back?: { to: string; label: string }; tabs?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const items = [
    { to: '/wallet', label: t('wallet.nav.mine'), on: pathname === '/wallet' || /^\/wallet\/(show\/)?[0-9a-f-]{36}/.test(pathname) },
    { to: '/wallet/verifications', label: t('wallet.nav.verifications'), on: pathname.startsWith('/wallet/verifications') },
  ];
  return (
    <SectionFrame section="wallet" title={title} subtitle={subtitle} back={back} tabs={tabs ? items : undefined} navLabel={t('wallet.nav.label')} homeLabel={t('wallet.nav.home')}>
      {children}
    </SectionFrame>
  );
}

const tones = ['', 'tone-green', 'tone-orange'];

function CertCard({ c, to }: { c: WalletCert; to?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const tone = c.status === 'valid' ? tones[c.typeName.length % tones.length] : 'is-off';
  const body = (
    <>
      <div className="wc-top">
        <h3>{locale === 'en' ? c.typeNameEn || c.typeName : c.typeName}</h3>
        <span className="wc-status" data-testid="cert-status">
          {t(`wallet.status.${c.status}`, { defaultValue: c.status })}
        </span>
      </div>
      <div className="wc-rows">
        <span>
          {c.holderName} · {c.holderCodeMasked}
        </span>
        <span>
          {t('wallet.list.number')}：{c.number}
        </span>
        <span>
          {t('wallet.list.issuer')}：{c.issuerName}
        </span>
        <span>
          {t('wallet.list.validity')}：{c.validFrom} ~ {c.validUntil ?? t('wallet.list.forever')}
        </span>
      </div>
    </>
  );
  return to ? (
    <Link to={to} className={`wallet-card ${tone}`} data-testid="wallet-card">
      {body}
    </Link>
  ) : (
    <div className={`wallet-card ${tone}`}>{body}</div>
  );
}

// ---- my certificates and claiming ----------------------------------------------------------------

function MyWallet() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const mine = useQuery({ queryKey: ['wallet', 'mine'], queryFn: () => api.get<ResponseOf<'/api/wallet/certificates'>>('/api/wallet/certificates', { limit: 100 }) });
  const claimable = useQuery({ queryKey: ['wallet', 'claimable'], queryFn: () => api.get<ResponseOf<'/api/wallet/claimable'>>('/api/wallet/claimable') });
  const [notice, setNotice] = useState<string | null>(null);
  const claim = useMutation({
    mutationFn: (c: ClaimableCert) => api.post<ResponseOf<'/api/wallet/claim', 'post'>>('/api/wallet/claim', { certificateId: c.certificateId }),
    onSuccess: (r) => {
      setNotice(t('wallet.list.claimedOk', { name: r.typeName }));
      void qc.invalidateQueries({ queryKey: ['wallet'] });
    },
  });
  const open = (claimable.data?.items ?? []).filter((c) => !c.claimed);
  return (
    <Frame title={t('wallet.title')} subtitle={t('wallet.subtitle')} tabs>
      {notice && (
        <div className="note" role="status">
          {notice}
        </div>
      )}
      {claim.error && (
        <div className="alert" role="alert">
          {errorMessage(claim.error, t)}
        </div>
      )}
      {mine.isPending ? (
        <Spinner />
      ) : mine.data && mine.data.items.length ? (
        <section aria-label={t('wallet.nav.mine')} className="check-list" data-testid="wallet-list">
          {mine.data.items.map((c) => (
            <CertCard key={c.id} c={c} to={`/wallet/${c.id}`} />
          ))}
        </section>
      ) : (
        <div className="card empty-card">
          <h2>{t('wallet.list.empty')}</h2>
          <p className="muted small">{t('wallet.list.emptyHint')}</p>
        </div>
      )}
      <section className="card section" aria-labelledby="claimable-h" data-testid="claimable">
        <h2 id="claimable-h">{t('wallet.list.claimable')}</h2>
        <p className="muted small">{t('wallet.list.claimableHint')}</p>
        {claimable.isPending ? (
          <Spinner />
        ) : open.length ? (
          open.map((c) => (
            <div className="claim-row" key={c.certificateId} data-testid="claimable-row">
              <div>
                <strong>{c.typeName}</strong>
                <div className="muted small">
                  {c.issuerName} · {c.number} · {t(`wallet.status.${c.status}`, { defaultValue: c.status })}
                </div>
              </div>
              <button type="button" className="btn btn-primary" disabled={claim.isPending} onClick={() => claim.mutate(c)} data-testid="claim">
                {t('wallet.list.claim')}
              </button>
            </div>
          ))
        ) : (
          <p className="muted">{t('wallet.list.noneClaimable')}</p>
        )}
      </section>
    </Frame>
  );
}

function useWalletCert(id: string) {
  return useQuery({ queryKey: ['wallet', 'cert', id], queryFn: () => api.get<WalletCertDetail>(`/api/wallet/certificates/${id}`) });
}

function CertDetail() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const q = useWalletCert(id);
  if (q.isPending) return <Spinner />;
  if (!q.data)
    return (
      <Frame title={t('wallet.title')} back={{ to: '/wallet', label: t('wallet.detail.back') }}>
        <div className="alert">{errorMessage(q.error, t)}</div>
      </Frame>
    );
  const c = q.data;
  return (
    <Frame title={c.typeName} subtitle={c.issuerName} back={{ to: '/wallet', label: t('wallet.detail.back') }}>
      <CertCard c={c} />
      <section className="card section">
        <h2>{t('wallet.detail.fields')}</h2>
        <dl className="kv" data-testid="cert-fields">
          {c.fields.map((f) => (
            <div key={f.key} style={{ display: 'contents' }}>
              <dt>
                {locale === 'en' ? f.nameEn : f.nameZh}
                {f.personal && <span className="tag-personal">{t('wallet.detail.personal')}</span>}
              </dt>
              <dd>{show(f.value)}</dd>
            </div>
          ))}
          <dt>{t('wallet.detail.identifier')}</dt>
          <dd className="mono small">{c.identifier}</dd>
        </dl>
      </section>
      {c.status !== 'valid' && <div className="alert">{t('wallet.detail.notShowable', { status: t(`wallet.status.${c.status}`) })}</div>}
      <Link to={`/wallet/show/${c.id}`} className="btn btn-primary btn-block" data-testid="show-cert">
        {t('wallet.detail.show')}
      </Link>
      <p className="muted small">{t('wallet.detail.showHint')}</p>
    </Frame>
  );
}

// ---- show (亮证) -----------------------------------------------------------------------------------

function ShowCert() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const cert = useWalletCert(id);
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [cameraError, setCameraError] = useState(false);
  const [request, setRequest] = useState<HolderRequest | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<{ kind: 'inline'; text: string } | { kind: 'handle'; qr: string; handle: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadRequest = useCallback(
    async (text: string) => {
      setError(null);
      setResult(null);
      const clean = text.trim().toUpperCase().replace(/^DQVR:/, '');
      if (!clean) return;
      try {
        const r = await api.get<HolderRequest>(`/api/wallet/requests/${encodeURIComponent(clean)}`);
        setRequest(r);
        setCode(clean);
        setChosen(new Set(r.fields));
      } catch (e) {
        setError(errorMessage(e, t));
      }
    },
    [t],
  );
  const onScanned = useCallback(
    (text: string) => {
      setScanning(false);
      void loadRequest(text);
    },
    [loadRequest],
  );
  const onCameraError = useCallback(() => {
    setScanning(false);
    setCameraError(true);
  }, []);

  const fields = cert.data?.fields ?? [];
  const asked = new Set(request?.fields ?? []);
  const toggle = (k: string) =>
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });

  const make = async () => {
    if (!request || !cert.data) return;
    setBusy(true);
    setError(null);
    try {
      const key = await holderKey();
      const { credential } = await api.post<ResponseOf<'/api/wallet/certificates/{id}/credential', 'post'>>(`/api/wallet/certificates/${cert.data.id}/credential`, { holderJwk: key.publicJwk });
      const text = await presentSdJwt({ credential, disclose: [...chosen], aud: request.audience, nonce: request.nonce, sign: cryptoKeySigner(key.privateKey) });
      if (text.length <= MAX_INLINE_QR) setResult({ kind: 'inline', text });
      else {
        const h = await api.post<ResponseOf<'/api/wallet/presentations', 'post'>>('/api/wallet/presentations', { presentation: text });
        setResult({ kind: 'handle', ...h });
      }
    } catch (e) {
      setError(e instanceof DOMException ? t('wallet.show.noCrypto') : errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    void loadRequest(code);
  };
  const label = (f: Field) => (locale === 'en' ? f.nameEn : f.nameZh);
  const chosenLabels = fields.filter((f) => chosen.has(f.key)).map(label);

  if (cert.isPending) return <Spinner />;
  return (
    <Frame title={t('wallet.show.title')} subtitle={cert.data?.typeName} back={{ to: `/wallet/${id}`, label: cert.data?.typeName ?? t('wallet.detail.back') }}>
      {error && (
        <div className="alert" role="alert" data-testid="show-error">
          {error}
        </div>
      )}
      {!result && (
        <section className="card section">
          <h2>{t('wallet.show.step1')}</h2>
          <form onSubmit={submitCode} className="row-gap">
            <label className="sr-only" htmlFor="req-code">
              {t('wallet.show.codeLabel')}
            </label>
            <input id="req-code" className="wallet-input" style={{ flex: 1, minWidth: 160 }} value={code} onChange={(e) => setCode(e.target.value)} placeholder={t('wallet.show.codePlaceholder')} autoComplete="off" data-testid="request-code" />
            <button type="submit" className="btn btn-primary" data-testid="load-request">
              {t('wallet.show.load')}
            </button>
            <button type="button" className="btn" onClick={() => setScanning((s) => !s)}>
              {scanning ? t('wallet.show.stopScan') : t('wallet.show.scan')}
            </button>
          </form>
          {scanning && <QrScanner onText={onScanned} onError={onCameraError} />}
          {cameraError && <p className="muted small">{t('wallet.show.cameraError')}</p>}
        </section>
      )}
      {request && !result && (
        <section className="card section" data-testid="disclose">
          <h2>{t('wallet.show.step2')}</h2>
          <dl className="kv">
            <dt>{t('wallet.show.verifier')}</dt>
            <dd data-testid="verifier-name">{(locale === 'en' ? request.verifier.orgNameEn : null) ?? request.verifier.orgName ?? request.verifier.name}</dd>
            <dt>{t('wallet.show.purpose')}</dt>
            <dd>{request.purpose}</dd>
          </dl>
          <p className="muted small">{t('wallet.show.expires', { time: formatDateTime(request.expiresAt, locale) })}</p>
          <div className="check-list">
            {fields.map((f) => (
              <label key={f.key} className="check-row">
                <input type="checkbox" checked={chosen.has(f.key)} onChange={() => toggle(f.key)} data-testid={`disclose-${f.key}`} />
                <span>
                  {label(f)}
                  {asked.has(f.key) && <span className="tag-asked">{t('wallet.show.asked')}</span>}
                  {f.personal && <span className="tag-personal">{t('wallet.detail.personal')}</span>}
                </span>
                <span className="cr-value">{show(f.value)}</span>
              </label>
            ))}
          </div>
          <button type="button" className="btn btn-primary btn-block" disabled={busy || chosen.size === 0} onClick={() => void make()} data-testid="make-presentation" style={{ marginTop: 12 }}>
            {busy ? t('wallet.show.making') : chosen.size === 0 ? t('wallet.show.none') : t('wallet.show.make')}
          </button>
          <p className="muted small">{t('wallet.show.keyNote')}</p>
        </section>
      )}
      {result && (
        <section className="card section qr-box" data-testid="presentation">
          <h2>{t('wallet.show.step3')}</h2>
          {result.kind === 'handle' ? (
            <>
              <QrImage text={result.qr} alt={t('wallet.show.handle')} testId="presentation-qr" />
              <div className="muted small">{t('wallet.show.handle')}</div>
              <div className="code-big" data-testid="presentation-handle">
                {result.qr}
              </div>
              <p className="muted small">{t('wallet.show.handleHint', { time: formatDateTime(result.expiresAt, locale) })}</p>
            </>
          ) : (
            <>
              <QrImage text={result.text} alt={t('wallet.show.inline')} testId="presentation-qr" />
              <div className="muted small">{t('wallet.show.inline')}</div>
              <textarea className="wallet-textarea" readOnly value={result.text} data-testid="presentation-text" />
            </>
          )}
          <p className="small">{t('wallet.show.disclosed', { fields: chosenLabels.join('、') })}</p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setResult(null);
              setRequest(null);
              setCode('');
            }}
          >
            {t('wallet.show.again')}
          </button>
        </section>
      )}
    </Frame>
  );
}

// ---- who verified what ---------------------------------------------------------------------------

function Verifications() {
  const { t } = useTranslation();
  const locale = useLocale();
  const q = useQuery({ queryKey: ['wallet', 'verifications'], queryFn: () => api.get<ResponseOf<'/api/wallet/verifications'>>('/api/wallet/verifications', { limit: 100 }) });
  return (
    <Frame title={t('wallet.verifications.title')} subtitle={t('wallet.verifications.hint')} tabs>
      {q.isPending ? (
        <Spinner />
      ) : q.data?.items.length ? (
        <section className="card section" data-testid="verifications">
          {q.data.items.map((v) => (
            <div className="ver-item" key={v.id}>
              <div>
                <span className={v.valid ? 'ver-ok' : 'ver-bad'}>{v.valid ? t('wallet.verifications.ok') : t('wallet.verifications.refused')}</span> · {(locale === 'en' ? v.verifierOrgEn : null) ?? v.verifierOrg ?? v.verifierName} · {v.certificateName ?? '—'}
              </div>
              <div className="muted small">
                {formatDateTime(v.at, locale)} · {v.purpose}
                {!v.valid && ` · ${t(`wallet.reason.${v.reason}`, { defaultValue: v.reason })}`}
              </div>
              {v.fields.length > 0 && (
                <div className="small">
                  {t('wallet.verifications.fields')}：{v.fields.map((k) => (v.labels[k] ? v.labels[k][locale === 'en' ? 1 : 0] : k)).join('、')}
                </div>
              )}
            </div>
          ))}
        </section>
      ) : (
        <div className="card empty-card">
          <p className="muted">{t('wallet.verifications.empty')}</p>
        </div>
      )}
    </Frame>
  );
}

export function WalletApp({ me, signIn }: Props) {
  const signedIn = !!me.data && !me.data.mfaPending;
  const member = (page: ReactNode) => (me.isPending ? <Spinner /> : signedIn ? page : signIn);
  return (
    <Routes>
      <Route index element={member(<MyWallet />)} />
      <Route path="verifications" element={member(<Verifications />)} />
      <Route path="show/:id" element={member(<ShowCert />)} />
      <Route path=":id" element={member(<CertDetail />)} />
    </Routes>
  );
}

// ---- the verifier page ---------------------------------------------------------------------------

/** How the verifier page calls the API: as the signed-in staff member, or as a terminal with its API key. */
interface Caller {
  kind: 'session' | 'key';
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}
const sessionCaller: Caller = { kind: 'session', get: (p) => api.get(p), post: (p, b) => api.post(p, b) };
function keyCaller(key: string): Caller {
  const call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(path, { method, headers: { accept: 'application/json', 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const data = (await r.json().catch(() => ({}))) as unknown;
    if (!r.ok) throw new ApiError(r.status, data as Problem);
    return data as T;
  };
  return { kind: 'key', get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}
const TERMINAL_KEY = 'dq.verifier.key';

function TerminalKeyForm({ onSave }: { onSave: (key: string) => void }) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  return (
    <section className="card section">
      <h2>{t('wallet.verifier.keyTitle')}</h2>
      <p className="muted small">{t('wallet.verifier.keyHint')}</p>
      <form
        className="row-gap"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onSave(key.trim());
        }}
      >
        <label className="sr-only" htmlFor="vkey">
          {t('wallet.verifier.keyTitle')}
        </label>
        <input id="vkey" className="wallet-input" style={{ flex: 1, minWidth: 200 }} value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" placeholder="dqk_…" data-testid="verifier-key" />
        <button type="submit" className="btn btn-primary">
          {t('wallet.verifier.keyUse')}
        </button>
      </form>
    </section>
  );
}

function Verifier({ caller, allowed, onForgetKey }: { caller: Caller; allowed: boolean; onForgetKey?: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const types = useQuery({ queryKey: ['cert', 'types', caller.kind], queryFn: () => caller.get<ResponseOf<'/api/cert/types'>>('/api/cert/types'), enabled: allowed });
  const [typeId, setTypeId] = useState('');
  const [fields, setFields] = useState<Set<string>>(new Set());
  const [purpose, setPurpose] = useState('');
  const [request, setRequest] = useState<VerifierRequest | null>(null);
  const [input, setInput] = useState('');
  const [scanning, setScanning] = useState(false);
  const [answer, setAnswer] = useState<VerificationAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const type = types.data?.items.find((x) => x.id === typeId);
  // Exactly the fields the wallet makes disclosable for this type.
  const choices: FieldLabel[] = useMemo(() => (type ? disclosableFields(type.fields) : []), [type]);
  const label = (f: FieldLabel) => (locale === 'en' ? f.nameEn : f.nameZh);

  const create = useMutation({
    mutationFn: () => caller.post<VerifierRequest>('/api/cert/verifier/requests', { fields: [...fields], purpose, ...(type ? { vct: type.vct } : {}) }),
    onSuccess: (r) => {
      setRequest(r);
      setAnswer(null);
      setError(null);
    },
    onError: (e) => setError(errorMessage(e, t)),
  });
  const verify = useMutation({
    mutationFn: (text: string) => {
      const v = text.trim();
      const body = /^DQVP:/i.test(v) || (v.length <= 40 && !v.includes('~')) ? { handle: v } : { presentation: v };
      return caller.post<VerificationAnswer>('/api/cert/verifier/verify', { requestId: request!.id, ...body });
    },
    onSuccess: (a) => {
      setAnswer(a);
      setError(null);
    },
    onError: (e) => setError(errorMessage(e, t)),
  });
  const onScanned = useCallback(
    (text: string) => {
      setScanning(false);
      setInput(text);
      verify.mutate(text);
    },
    [verify],
  );
  const onCameraError = useCallback(() => {
    setScanning(false);
    setError(t('wallet.show.cameraError'));
  }, [t]);

  if (!allowed)
    return (
      <Frame title={t('wallet.verifier.title')}>
        <div className="alert" role="alert">
          {t('wallet.verifier.noPermission')}
        </div>
      </Frame>
    );

  const toggle = (k: string) =>
    setFields((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });

  return (
    <Frame title={t('wallet.verifier.title')} subtitle={t('wallet.verifier.subtitle')}>
      {onForgetKey && (
        <p className="muted small">
          {t('wallet.verifier.asTerminal')}{' '}
          <button type="button" className="btn btn-text btn-small" onClick={onForgetKey}>
            {t('wallet.verifier.keyForget')}
          </button>
        </p>
      )}
      {error && (
        <div className="alert" role="alert" data-testid="verifier-error">
          {error}
        </div>
      )}
      {!request ? (
        <section className="card section">
          <div className="field">
            <label htmlFor="vtype">{t('wallet.verifier.type')}</label>
            <select
              id="vtype"
              className="wallet-input"
              value={typeId}
              onChange={(e) => {
                setTypeId(e.target.value);
                setFields(new Set());
              }}
              data-testid="verifier-type"
            >
              <option value="">{t('wallet.verifier.typeAny')}</option>
              {(types.data?.items ?? []).map((x) => (
                <option key={x.id} value={x.id}>
                  {locale === 'en' ? x.nameEn : x.nameZh}
                </option>
              ))}
            </select>
          </div>
          {type && (
            <fieldset className="check-list" style={{ border: 'none', padding: 0 }}>
              <legend>{t('wallet.verifier.fields')}</legend>
              {choices.map((f) => (
                <label key={f.key} className="check-row">
                  <input type="checkbox" checked={fields.has(f.key)} onChange={() => toggle(f.key)} data-testid={`ask-${f.key}`} />
                  <span>
                    {label(f)}
                    {f.personal && <span className="tag-personal">{t('wallet.detail.personal')}</span>}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          <div className="field">
            <label htmlFor="vpurpose">{t('wallet.verifier.purpose')}</label>
            <input id="vpurpose" className="wallet-input" value={purpose} maxLength={200} onChange={(e) => setPurpose(e.target.value)} placeholder={t('wallet.verifier.purposePlaceholder')} data-testid="verifier-purpose" />
          </div>
          <button type="button" className="btn btn-primary btn-block" disabled={!fields.size || !purpose.trim() || create.isPending} onClick={() => create.mutate()} data-testid="create-request">
            {t('wallet.verifier.create')}
          </button>
        </section>
      ) : (
        <>
          <section className="card section qr-box" data-testid="verifier-request">
            <QrImage text={request.qr} alt={t('wallet.verifier.requestCode')} />
            <div className="muted small">{t('wallet.verifier.requestCode')}</div>
            <div className="code-big" data-testid="verifier-request-code">
              {request.requestCode}
            </div>
            <p className="muted small">{t('wallet.verifier.requestHint', { time: formatDateTime(request.expiresAt, locale) })}</p>
          </section>
          <section className="card section">
            <label htmlFor="vinput">{t('wallet.verifier.paste')}</label>
            <textarea id="vinput" className="wallet-textarea" value={input} onChange={(e) => setInput(e.target.value)} placeholder={t('wallet.verifier.pastePlaceholder')} data-testid="verifier-input" />
            <div className="row-gap" style={{ marginTop: 8 }}>
              <button type="button" className="btn btn-primary" disabled={!input.trim() || verify.isPending} onClick={() => verify.mutate(input)} data-testid="verify">
                {t('wallet.verifier.verify')}
              </button>
              <button type="button" className="btn" onClick={() => setScanning((s) => !s)}>
                {scanning ? t('wallet.show.stopScan') : t('wallet.verifier.scan')}
              </button>
              <button
                type="button"
                className="btn btn-text"
                onClick={() => {
                  setRequest(null);
                  setAnswer(null);
                  setInput('');
                }}
              >
                {t('wallet.verifier.newRequest')}
              </button>
            </div>
            {scanning && <QrScanner onText={onScanned} onError={onCameraError} />}
          </section>
        </>
      )}
      {answer && <Verdict a={answer} />}
    </Frame>
  );
}

function Verdict({ a }: { a: VerificationAnswer }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const entries = Object.entries(a.disclosed);
  return (
    <section className={`verdict ${a.valid ? 'verdict-ok' : 'verdict-bad'}`} data-testid="verdict" data-valid={a.valid} aria-live="polite">
      <h2>{a.valid ? `✓ ${t('wallet.verifier.valid')}` : `✗ ${t('wallet.verifier.invalid')}`}</h2>
      {!a.valid && <p data-testid="verdict-reason">{t(`wallet.reason.${a.reason}`, { defaultValue: a.message })}</p>}
      {a.certificate && (
        <dl className="kv" style={{ color: '#fff' }}>
          <dt style={{ color: '#fff', opacity: 0.8 }}>{t('wallet.verifier.certificate')}</dt>
          <dd>{locale === 'en' ? a.certificate.nameEn || a.certificate.name : a.certificate.name}</dd>
          <dt style={{ color: '#fff', opacity: 0.8 }}>{t('wallet.verifier.issuer')}</dt>
          <dd>{a.issuerName ?? a.issuer}</dd>
          {a.certificate.identifier && (
            <>
              <dt style={{ color: '#fff', opacity: 0.8 }}>{t('wallet.verifier.identifier')}</dt>
              <dd className="mono small">{a.certificate.identifier}</dd>
            </>
          )}
          {a.trustList && (
            <>
              <dt style={{ color: '#fff', opacity: 0.8 }}>{t('wallet.verifier.trust')}</dt>
              <dd className="mono small">
                {a.trustList} / {a.kid}
              </dd>
            </>
          )}
        </dl>
      )}
      {a.valid && (
        <div className="card section" style={{ marginTop: 12, color: 'var(--text, #1f1f1f)' }}>
          <h3>{t('wallet.verifier.disclosed')}</h3>
          {entries.length ? (
            <dl className="kv" data-testid="disclosed">
              {entries.map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }} data-testid={`disclosed-${k}`}>
                  <dt>{a.labels[k] ? (locale === 'en' ? a.labels[k][1] : a.labels[k][0]) : k}</dt>
                  <dd>{show(v)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">{t('wallet.verifier.nothing')}</p>
          )}
        </div>
      )}
      <p className="small" style={{ opacity: 0.85, marginTop: 8 }}>
        {formatDate(new Date(), locale)}
      </p>
    </section>
  );
}

export function VerifierApp({ me, signIn }: Props) {
  const [key, setKey] = useState<string | null>(() => localStorage.getItem(TERMINAL_KEY));
  const signedIn = !!me.data && !me.data.mfaPending;
  const mayVerify = signedIn && me.data!.permissions.includes('cert.verify');
  const keyed = useMemo(() => (key ? keyCaller(key) : null), [key]);
  const saveKey = (k: string) => {
    localStorage.setItem(TERMINAL_KEY, k);
    setKey(k);
  };
  const forgetKey = () => {
    localStorage.removeItem(TERMINAL_KEY);
    setKey(null);
  };
  const page = me.isPending ? (
    <Spinner />
  ) : mayVerify ? (
    <Verifier caller={sessionCaller} allowed />
  ) : keyed ? (
    <Verifier caller={keyed} allowed onForgetKey={forgetKey} />
  ) : signedIn ? (
    <Verifier caller={sessionCaller} allowed={false} />
  ) : (
    // Staff sign in; a verifying terminal (role code_terminal) uses its API key instead.
    <>
      {signIn}
      <div className="frame-main wallet-main">
        <TerminalKeyForm onSave={saveKey} />
      </div>
    </>
  );
  return (
    <Routes>
      <Route index element={page} />
    </Routes>
  );
}
