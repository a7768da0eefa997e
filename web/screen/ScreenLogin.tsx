import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../shared/errors';
import { useLoginFlow } from '../shared/session';
import type { Me } from '../shared/types';
import { LangSwitch } from './LangSwitch';

export function ScreenLogin({ me }: { me: Me | null | undefined }) {
  const { t } = useTranslation();
  const flow = useLoginFlow(me);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [hint, setHint] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (flow.step === 'password') {
      if (!username.trim() || !password) return setHint(t('login.required'));
      setHint('');
      await flow.submitPassword(username.trim(), password);
      setPassword('');
    } else {
      if (!/^\d{6}$/.test(code)) return setHint(t('login.codeInvalid'));
      setHint('');
      await flow.submitCode(code);
      setCode('');
    }
  };
  const message = hint || (flow.error ? errorMessage(flow.error, t, flow.step === 'password' ? 'login' : 'code') : '');

  return (
    <div className="screen-login">
      <div className="screen-login-lang">
        <LangSwitch />
      </div>
      <div className="screen-login-title">
        <h1>{t('screen.title')}</h1>
        <p>{t('screen.subtitle')}</p>
      </div>
      <form className="glass-card login-box" onSubmit={submit} noValidate>
        <h2>{flow.step === 'password' ? t('screen.loginTitle') : flow.step === 'enrol' ? t('login.enrolTitle') : t('login.mfaTitle')}</h2>
        {flow.step === 'password' ? (
          <>
            <label className="dark-field">
              <span>{t('login.username')}</span>
              <input
                name="username"
                autoComplete="username"
                spellCheck={false}
                placeholder={t('login.usernamePlaceholder')}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </label>
            <label className="dark-field">
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
          </>
        ) : (
          <>
            <p className="dim">{flow.step === 'enrol' ? t('login.enrolHint') : t('login.mfaHint')}</p>
            {flow.step === 'enrol' && flow.enrolment && (
              <p className="secret">
                {t('login.secret')}: <code>{flow.enrolment.secret}</code>
              </p>
            )}
            <label className="dark-field">
              <span>{t('login.code')}</span>
              <input
                name="code"
                className="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={t('login.codePlaceholder')}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                autoFocus
              />
            </label>
          </>
        )}
        {message && (
          <div className="dark-alert" role="alert">
            {message}
          </div>
        )}
        <button className="neon-btn block" type="submit" disabled={flow.busy} data-testid="login-submit">
          {flow.step === 'password' ? (flow.busy ? t('login.submitting') : t('login.submit')) : t('login.verify')}
        </button>
        {flow.step !== 'password' && (
          <button type="button" className="text-btn" onClick={() => void flow.restart()}>
            {t('login.useOtherAccount')}
          </button>
        )}
      </form>
    </div>
  );
}
