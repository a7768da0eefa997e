// The portal's building blocks: brand bar, the blue header of the signed-out pages, sections and
// form fields with their hint or error underneath.
import type { InputHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import logoUrl from '../shared/favicon.svg';
import { LanguageToggle } from './LanguageToggle';

/** Logo and name on the blue background, the language toggle at the right. */
export function BrandBar({ className, logoSize, onSaved }: { className: string; logoSize: number; onSaved?: (ok: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      <div className="brand">
        <img src={logoUrl} alt="" className="brand-logo" width={logoSize} height={logoSize} />
        <span>{t('portal.title')}</span>
      </div>
      <LanguageToggle light onSaved={onSaved} />
    </div>
  );
}

/** A signed-out page: the blue header with its wave, one white card, the footer. */
export function SignedOutPage({ title, subtitle, compact, children }: { title: string; subtitle: string; compact?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="login-page">
      <header className={`login-hero${compact ? ' login-hero-compact' : ''}`}>
        <BrandBar className="login-hero-top" logoSize={28} />
        <h1>{title}</h1>
        <p>{subtitle}</p>
        <svg className="login-waves" viewBox="0 0 390 60" preserveAspectRatio="none" aria-hidden>
          <path d="M0 30 C 65 0, 130 60, 195 30 S 325 0, 390 30 L390 60 L0 60 Z" fill="rgba(255,255,255,0.12)" />
          <path d="M0 40 C 65 15, 130 65, 195 40 S 325 15, 390 40 L390 60 L0 60 Z" fill="#f3f6fb" />
        </svg>
      </header>
      <main className="login-card card">{children}</main>
      <footer className="footer muted small">{t('portal.footer')}</footer>
    </div>
  );
}

/** A white card with a marked heading. */
export function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <section className="card section">
      <div className="section-head">
        <h2>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}

export function Alert({ message }: { message: string }) {
  if (!message) return null;
  return (
    <div className="alert" role="alert">
      {message}
    </div>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: string;
  /** Shown under the input while there is no error. */
  hint?: string;
  error?: string;
  optional?: string;
};

/** A labelled input; its hint or error sits underneath and is read out with it. */
export function Field({ label, hint, error, optional, ...input }: FieldProps) {
  const id = input.id ?? `field-${input.name}`;
  const note = error || hint;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional">{optional}</span>}
      </label>
      <input {...input} id={id} aria-invalid={error ? true : undefined} aria-describedby={note ? `${id}-note` : undefined} />
      {note && (
        <p id={`${id}-note`} className={error ? 'field-error' : 'field-hint'} data-testid={error ? `error-${input.name}` : undefined}>
          {note}
        </p>
      )}
    </div>
  );
}
