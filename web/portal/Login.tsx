import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoginFlow } from '../shared/session';
import { errorMessage } from '../shared/errors';
import type { Me } from '../shared/types';
import { LanguageToggle } from './LanguageToggle';
import logoUrl from '../shared/favicon.svg';

export function Login({ me }: { me: Me | null | undefined }) {
  const { t } = useTranslation();
  const flow = useLoginFlow(me);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [hint, setHint] = useState('');

  const onPassword = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setHint(t('login.required'));
      return;
    }
    setHint('');
    await flow.submitPassword(username.trim(), password);
    setPassword('');
  };

  const onCode = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setHint(t('login.codeInvalid'));
      return;
    }
    setHint('');
    await flow.submitCode(code);
    setCode('');
  };

  const message = hint || (flow.error ? errorMessage(flow.error, t, flow.step === 'password' ? 'login' : 'code') : '');

  return (
    <div className="login-page">
      <header className="login-hero">
        <div className="login-hero-top">
          <div className="brand">
            <img src={logoUrl} alt="" className="brand-logo" width={28} height={28} />
            <span>{t('portal.title')}</span>
          </div>
          <LanguageToggle light />
        </div>
        <h1>{t('portal.title')}</h1>
        <p>{t('portal.subtitle')}</p>
        <svg className="login-waves" viewBox="0 0 390 60" preserveAspectRatio="none" aria-hidden>
          <path d="M0 30 C 65 0, 130 60, 195 30 S 325 0, 390 30 L390 60 L0 60 Z" fill="rgba(255,255,255,0.12)" />
          <path d="M0 40 C 65 15, 130 65, 195 40 S 325 15, 390 40 L390 60 L0 60 Z" fill="#f3f6fb" />
        </svg>
      </header>

      <main className="login-card card">
        {flow.step === 'password' && (
          <form onSubmit={onPassword} noValidate>
            <h2>{t('portal.loginTitle')}</h2>
            <p className="muted small">{t('portal.loginHint')}</p>
            <label className="field">
              <span>{t('login.username')}</span>
              <input
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                placeholder={t('login.usernamePlaceholder')}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('login.password')}</span>
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                placeholder={t('login.passwordPlaceholder')}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            {message && (
              <div className="alert" role="alert">
                {message}
              </div>
            )}
            <button className="btn btn-primary btn-block" type="submit" disabled={flow.busy} data-testid="login-submit">
              {flow.busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        )}

        {(flow.step === 'totp' || flow.step === 'enrol') && (
          <form onSubmit={onCode} noValidate>
            <h2>{flow.step === 'enrol' ? t('login.enrolTitle') : t('login.mfaTitle')}</h2>
            <p className="muted small">{flow.step === 'enrol' ? t('login.enrolHint') : t('login.mfaHint')}</p>
            {flow.step === 'enrol' && flow.enrolment && (
              <div className="secret-box">
                <span className="muted small">{t('login.secret')}</span>
                <code>{flow.enrolment.secret}</code>
                <a className="link small" href={flow.enrolment.otpauthUri}>
                  otpauth://
                </a>
              </div>
            )}
            <label className="field">
              <span>{t('login.code')}</span>
              <input
                name="code"
                className="code-input"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                maxLength={6}
                placeholder={t('login.codePlaceholder')}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                autoFocus
              />
            </label>
            {message && (
              <div className="alert" role="alert">
                {message}
              </div>
            )}
            <button className="btn btn-primary btn-block" type="submit" disabled={flow.busy}>
              {t('login.verify')}
            </button>
            <button type="button" className="btn btn-text btn-block" onClick={() => void flow.restart()}>
              {t('login.useOtherAccount')}
            </button>
          </form>
        )}
      </main>
      <footer className="footer muted small">{t('portal.footer')}</footer>
    </div>
  );
}
