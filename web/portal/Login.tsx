import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLoginForm } from '../shared/useLoginForm';
import type { Me } from '../shared/types';
import { Alert, Field, SignedOutPage } from './ui';

export function Login({ me }: { me: Me | null | undefined }) {
  const { t } = useTranslation();
  const form = useLoginForm(me);

  return (
    <SignedOutPage title={t('portal.title')} subtitle={t('portal.subtitle')}>
      {form.step === 'password' ? (
        <form onSubmit={(e) => void form.submit(e)} noValidate>
          <h2>{t('portal.loginTitle')}</h2>
          <p className="muted small">{t('portal.loginHint')}</p>
          <Field label={t('login.username')} {...form.fields.username} />
          <Field label={t('login.password')} {...form.fields.password} />
          <Alert message={form.message} />
          <button className="btn btn-primary btn-block" type="submit" disabled={form.busy} data-testid="login-submit">
            {form.busy ? t('login.submitting') : t('login.submit')}
          </button>
          <p className="switch-line">
            {t('portal.noAccount')}
            <Link to="/register" className="link" data-testid="register-link">
              {t('portal.registerLink')}
            </Link>
          </p>
        </form>
      ) : (
        <form onSubmit={(e) => void form.submit(e)} noValidate>
          <h2>{form.codeText.title}</h2>
          <p className="muted small">{form.codeText.hint}</p>
          {form.step === 'enrol' && form.enrolment && (
            <div className="secret-box">
              <span className="muted small">{t('login.secret')}</span>
              <code>{form.enrolment.secret}</code>
              <a className="link small" href={form.enrolment.otpauthUri}>
                otpauth://
              </a>
            </div>
          )}
          <Field label={t('login.code')} className="code-input" {...form.fields.code} />
          <Alert message={form.message} />
          <button className="btn btn-primary btn-block" type="submit" disabled={form.busy}>
            {t('login.verify')}
          </button>
          <button type="button" className="btn btn-text btn-block" onClick={() => void form.restart()}>
            {t('login.useOtherAccount')}
          </button>
        </form>
      )}
    </SignedOutPage>
  );
}
