// The portal's seal pages: /seal/verify, the public check of a sealed PDF (upload, one card per
// signature). Nobody needs to sign in; the file is checked and not kept.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import type { ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';
import { uploadFile } from '../../shared/credit/upload';
import { formatDateTime } from '../../shared/format';
import { useLocale } from '../../shared/i18n';
import type { useSession } from '../../shared/session';
import { Shell } from '../shell';

type Props = { me: ReturnType<typeof useSession>; signIn: ReactNode };

type Report = ResponseOf<'/api/seal/verify', 'post'>;
type Signature = Report['signatures'][number];

function YesNo({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return <span className={ok ? 'seal-yes' : 'seal-no'}>{ok ? `✓ ${t('seal.yes')}` : `✗ ${t('seal.no')}`}</span>;
}

function SignatureCard({ s, n }: { s: Signature; n: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const ok = s.intact && s.coversWholeDocument && s.chainTrusted;
  return (
    <article className={`card section seal-result${ok ? ' ok' : ''}`} data-testid="seal-result" data-valid={ok}>
      <h3>
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden className={ok ? 'seal-yes' : 'seal-no'}>
          <circle cx="12" cy="12" r="11" fill="currentColor" />
          <path d={ok ? 'M6.5 12.5l3.5 3.5 7.5-8' : 'M8 8l8 8M16 8l-8 8'} stroke="#fff" strokeWidth="2.4" fill="none" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {`#${n} ${ok ? t('seal.valid') : t('seal.invalid')}`}
      </h3>
      {s.reason && <p className="seal-reason">{t(`seal.reasons.${s.reason}`, { defaultValue: s.reason })}</p>}
      <dl>
        <dt>{t('seal.signer')}</dt>
        <dd>{s.signer ?? '—'}</dd>
        <dt>{t('seal.org')}</dt>
        <dd>{s.org ?? '—'}</dd>
        <dt>{t('seal.signedAt')}</dt>
        <dd>{s.signedAt ? formatDateTime(s.signedAt, locale) : '—'}</dd>
        <dt>{t('seal.intact')}</dt>
        <dd>
          <YesNo ok={s.intact} />
        </dd>
        <dt>{t('seal.whole')}</dt>
        <dd>
          <YesNo ok={s.coversWholeDocument} />
        </dd>
        <dt>{t('seal.trusted')}</dt>
        <dd>
          <YesNo ok={s.chainTrusted} />
        </dd>
      </dl>
    </article>
  );
}

function VerifyPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const check = useMutation({ mutationFn: (f: File) => uploadFile<Report>('/api/seal/verify', f) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    check.mutate(file);
  };
  return (
    <Shell title={t('seal.title')}>
      <div className="seal-verify">
        <form className="card section" onSubmit={submit} noValidate>
          <p className="muted">{t('seal.intro')}</p>
          <label className="seal-drop" data-testid="seal-drop">
            <input
              type="file"
              accept="application/pdf,.pdf"
              data-testid="seal-file"
              aria-describedby="seal-file-hint"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setMissing(false);
                check.reset();
              }}
            />
            <strong>{file ? file.name : t('seal.choose')}</strong>
            <span id="seal-file-hint" className={missing ? 'field-error' : 'muted small'}>
              {missing ? t('seal.noFile') : t('seal.fileHint')}
            </span>
          </label>
          <div className="seal-actions">
            <button className="btn btn-primary btn-block" type="submit" disabled={check.isPending} data-testid="seal-verify">
              {check.isPending ? t('seal.verifying') : t('seal.submit')}
            </button>
          </div>
        </form>
        <section aria-live="polite" data-testid="seal-report">
          {check.isError && <p className="alert">{errorMessage(check.error, t)}</p>}
          {check.data && (
            <>
              <h2 className="sub-title">{t('seal.result')}</h2>
              {check.data.signatures.length === 0 ? (
                <p className="card section" data-testid="seal-none">
                  {t('seal.none')}
                </p>
              ) : (
                <>
                  <p className="muted small">{t('seal.count', { count: check.data.signatures.length })}</p>
                  {check.data.signatures.map((s, i) => (
                    <SignatureCard key={i} s={s} n={i + 1} />
                  ))}
                </>
              )}
              <p className="muted small mono" style={{ wordBreak: 'break-all' }}>
                {t('seal.fileSha')}: {check.data.documentSha256}
              </p>
            </>
          )}
        </section>
        <p className="small">
          <a className="link" href="/api/seal/ca" download="seal-ca.pem">
            {t('seal.ca')}
          </a>
          <br />
          <span className="muted">{t('seal.caHint')}</span>
        </p>
      </div>
    </Shell>
  );
}

export function SealApp(_props: Props) {
  return (
    <Routes>
      <Route index element={<Navigate to="verify" replace />} />
      <Route path="verify" element={<VerifyPage />} />
    </Routes>
  );
}
