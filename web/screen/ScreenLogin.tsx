import { useTranslation } from 'react-i18next';
import { useLoginForm } from '../shared/useLoginForm';
import type { Me } from '../shared/types';
import { LangSwitch } from './LangSwitch';

export function ScreenLogin({ me }: { me: Me | null | undefined }) {
  const { t } = useTranslation();
  const form = useLoginForm(me);
  const passwordStep = form.step === 'password';

  return (
    <div className="screen-login">
      <div className="screen-login-lang">
        <LangSwitch />
      </div>
      <div className="screen-login-title">
        <h1>{t('screen.title')}</h1>
        <p>{t('screen.subtitle')}</p>
      </div>
      <form className="glass-card login-box" onSubmit={(e) => void form.submit(e)} noValidate>
        <h2>{passwordStep ? t('screen.loginTitle') : form.codeText.title}</h2>
        {passwordStep ? (
          <>
            <label className="dark-field">
              <span>{t('login.username')}</span>
              <input {...form.fields.username} />
            </label>
            <label className="dark-field">
              <span>{t('login.password')}</span>
              <input {...form.fields.password} />
            </label>
          </>
        ) : (
          <>
            <p className="dim">{form.codeText.hint}</p>
            {form.step === 'enrol' && form.enrolment && (
              <p className="secret">
                {t('login.secret')}: <code>{form.enrolment.secret}</code>
              </p>
            )}
            <label className="dark-field">
              <span>{t('login.code')}</span>
              <input {...form.fields.code} className="code" />
            </label>
          </>
        )}
        {form.message && (
          <div className="dark-alert" role="alert">
            {form.message}
          </div>
        )}
        <button className="neon-btn block" type="submit" disabled={form.busy} data-testid="login-submit">
          {passwordStep ? (form.busy ? t('login.submitting') : t('login.submit')) : t('login.verify')}
        </button>
        {!passwordStep && (
          <button type="button" className="text-btn" onClick={() => void form.restart()}>
            {t('login.useOtherAccount')}
          </button>
        )}
      </form>
    </div>
  );
}
