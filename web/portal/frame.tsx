// The frame of a portal section with its own pages (credit, the certificate wallet): blue header with the
// brand bar and an optional back link, the section's tabs, the main landmark and the footer. Each section
// passes its tabs; `section` also names the section's own classes (`credit-header`…) for its styles.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BrandBar } from './ui';

export interface SectionTab {
  to: string;
  label: string;
  /** Marked as the current page (a section's tab stays marked on its inner pages). */
  on: boolean;
}

export function SectionFrame(props: { section: string; title: string; subtitle?: string; back?: { to: string; label: string }; tabs?: SectionTab[]; navLabel: string; homeLabel: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { section, back, tabs } = props;
  return (
    <div className={`frame-page ${section}-page`}>
      <header className={`frame-header ${section}-header`}>
        <BrandBar className="home-bar" logoSize={26} />
        {back && (
          <Link to={back.to} className="frame-back">
            ‹ {back.label}
          </Link>
        )}
        <h1>{props.title}</h1>
        {props.subtitle && <p>{props.subtitle}</p>}
      </header>
      {tabs && (
        <nav className="frame-tabs" aria-label={props.navLabel}>
          {tabs.map((tab) => (
            <Link key={tab.to} to={tab.to} className={tab.on ? 'active' : undefined} aria-current={tab.on ? 'page' : undefined}>
              {tab.label}
            </Link>
          ))}
        </nav>
      )}
      <main className={`frame-main ${section}-main`}>{props.children}</main>
      <footer className="footer muted small">
        <Link to="/" className="link">
          {props.homeLabel}
        </Link>{' '}
        · {t('portal.footer')}
      </footer>
    </div>
  );
}
