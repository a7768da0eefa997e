// The service hall's frame: header (brand, elder-mode switch, notifications, language), the
// navigation (top on desktop, bottom tabs on a phone; fewer and larger in elder mode), and the
// small pieces every page shares: sections that can be read aloud, badges, highlights, states.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import logoUrl from '../shared/favicon.svg';
import { errorMessage } from '../shared/errors';
import { useElderMode, useMe } from '../shared/session';
import { LanguageToggle } from './LanguageToggle';
import { useUnread, type AppState, type Mode, type Segment } from './svc';

/** Keeps the root element's class in line with elder mode, so rem-based sizes grow everywhere. */
export function useElderClass(): void {
  const { on } = useElderMode();
  useEffect(() => {
    document.documentElement.classList.toggle('elder', on);
  }, [on]);
}

export function ElderSwitch({ big }: { big?: boolean }) {
  const { t } = useTranslation();
  const elder = useElderMode();
  const [failed, setFailed] = useState(false);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={elder.on}
      className={`elder-switch${elder.on ? ' on' : ''}${big ? ' big' : ''}`}
      data-testid={big ? 'elder-switch-zone' : 'elder-switch'}
      disabled={elder.busy}
      title={failed ? t('errors.generic') : undefined}
      onClick={() => {
        setFailed(false);
        elder.set(!elder.on).catch(() => setFailed(true));
      }}
    >
      <span className="elder-switch-track" aria-hidden>
        <span className="elder-switch-knob" />
      </span>
      <span>{t('hall.elder.switch')}</span>
    </button>
  );
}

function Bell({ count }: { count: number }) {
  const { t } = useTranslation();
  return (
    <Link to="/notifications" className="icon-btn" aria-label={count ? t('hall.nav.notificationsUnread', { count }) : t('hall.nav.notifications')} data-testid="bell">
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden>
        <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      {count > 0 && (
        <span className="badge-count" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}

interface NavEntry {
  to: string;
  label: string;
  icon: string;
  end?: boolean;
}

const ICONS: Record<string, string> = {
  home: 'M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1v-8.5Z',
  search: 'M10.5 3a7.5 7.5 0 0 1 5.96 12.06l4.24 4.24-1.4 1.4-4.24-4.24A7.5 7.5 0 1 1 10.5 3Zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11Z',
  apps: 'M6 2h9l5 5v15H6V2Zm8 1.5V8h4.5M9 12h8v1.6H9V12Zm0 4h8v1.6H9V16Z',
  bell: 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z',
  me: 'M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z',
  browse: 'M4 4h7v7H4V4Zm9 0h7v7h-7V4ZM4 13h7v7H4v-7Zm9 0h7v7h-7v-7Z',
};

function useNav(signedIn: boolean, elder: boolean): NavEntry[] {
  const { t } = useTranslation();
  const home = { to: '/', label: t('hall.nav.home'), icon: 'home', end: true };
  const me = { to: signedIn ? '/account' : '/login', label: signedIn ? t('hall.nav.me') : t('action.login'), icon: 'me' };
  if (elder) return signedIn ? [home, { to: '/applications', label: t('hall.nav.applications'), icon: 'apps' }, me] : [home, { to: '/zones/elders', label: t('hall.nav.elders'), icon: 'browse' }, me];
  return [
    home,
    { to: '/search', label: t('hall.nav.search'), icon: 'search' },
    { to: '/browse', label: t('hall.nav.browse'), icon: 'browse' },
    ...(signedIn ? [{ to: '/applications', label: t('hall.nav.applications'), icon: 'apps' }] : []),
    me,
  ];
}

/** The page frame of every service-hall page. */
export function Shell({ title, children, back }: { title?: string; children: ReactNode; back?: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const signedIn = !!me.data && !me.data.mfaPending;
  const elder = useElderMode();
  const unread = useUnread(signedIn);
  const nav = useNav(signedIn, elder.on);
  useElderClass();
  useEffect(() => {
    document.title = title ? `${title} · ${t('portal.title')}` : t('portal.title');
  }, [title, t]);
  return (
    <div className="hall">
      <a href="#main" className="skip-link">
        {t('hall.skip')}
      </a>
      <header className="hall-header">
        <div className="hall-bar">
          <Link to="/" className="brand" aria-label={t('hall.nav.homeOf', { name: t('portal.title') })}>
            <img src={logoUrl} alt="" className="brand-logo" width={26} height={26} />
            <span>{t('portal.title')}</span>
          </Link>
          <div className="hall-bar-tools">
            <ElderSwitch />
            {signedIn && <Bell count={unread.data?.unread ?? 0} />}
            <LanguageToggle light />
          </div>
        </div>
        <nav className="hall-nav" aria-label={t('hall.nav.label')}>
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end} className={({ isActive }) => (isActive ? 'active' : undefined)}>
                  <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden>
                    <path fill="currentColor" d={ICONS[n.icon]} />
                  </svg>
                  <span>{n.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="hall-main" tabIndex={-1}>
        {back && (
          <Link to={back} className="back-link">
            ‹ {t('action.back')}
          </Link>
        )}
        {title && <h1 className="page-title">{title}</h1>}
        {children}
      </main>
      <footer className="footer muted small">{t('portal.footer')}</footer>
    </div>
  );
}

/** Reads the given element's text aloud in Chinese with the browser's speech synthesis. */
export function ReadAloud({ target, label }: { target: React.RefObject<HTMLElement | null>; label: string }) {
  const { t } = useTranslation();
  const [speaking, setSpeaking] = useState(false);
  const supported = typeof window !== 'undefined' && 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function';
  useEffect(
    () => () => {
      if (supported && speaking) window.speechSynthesis.cancel();
    },
    [supported, speaking],
  );
  const speak = () => {
    if (!supported) return;
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const text = (target.current?.innerText ?? '').replace(/\s+/g, ' ').trim();
    if (!text) return;
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN';
    const voice = synth.getVoices().find((v) => v.lang.toLowerCase().replace('_', '-').startsWith('zh-cn'));
    if (voice) u.voice = voice;
    u.rate = 0.9;
    u.onend = () => setSpeaking(false);
    u.onerror = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(u);
  };
  return (
    <button
      type="button"
      className={`read-aloud${speaking ? ' on' : ''}`}
      onClick={speak}
      disabled={!supported}
      title={supported ? undefined : t('hall.readAloud.unsupported')}
      aria-label={`${speaking ? t('hall.readAloud.stop') : t('hall.readAloud.start')}：${label}`}
      data-testid="read-aloud"
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden>
        <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.47 4.47 0 0 0 2.5-4Zm-2.5-9v2.1a7 7 0 0 1 0 13.8V21a9 9 0 0 0 0-18Z" />
      </svg>
      <span>{speaking ? t('hall.readAloud.stop') : t('hall.readAloud.start')}</span>
    </button>
  );
}

/** A white card with its heading, an optional control at the right and a read-aloud button. */
export function Panel({ title, extra, children, testId, level = 2 }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string; level?: 2 | 3 }) {
  const ref = useRef<HTMLElement>(null);
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card section" ref={ref} data-testid={testId} aria-label={title}>
      <div className="section-head">
        <H>{title}</H>
        <div className="section-tools">
          {extra}
          <ReadAloud target={ref} label={title} />
        </div>
      </div>
      {children}
    </section>
  );
}

export function ModeBadge({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  return (
    <span className={`mode-badge mode-${mode}`} data-testid="mode-badge">
      {t(`hall.mode.${mode}`)}
    </span>
  );
}

const STATE_TONE: Record<AppState, string> = {
  draft: 'grey',
  submitted: 'blue',
  accepted: 'blue',
  correction_requested: 'orange',
  resubmitted: 'blue',
  approved: 'green',
  rejected: 'red',
  completed: 'green',
  withdrawn: 'grey',
};

export function StateBadge({ state }: { state: AppState }) {
  const { t } = useTranslation();
  return (
    <span className={`state-badge tone-${STATE_TONE[state] ?? 'grey'}`} data-testid="state-badge">
      {t(`hall.state.${state}`)}
    </span>
  );
}

/** A search result's name with the matched parts marked: text nodes only, never HTML. */
export function Highlight({ segments, fallback }: { segments?: Segment[]; fallback: string }) {
  if (!segments?.length) return <>{fallback}</>;
  return (
    <>
      {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="loading" aria-busy="true" role="status">
      <div className="spinner" />
      <span className="sr-only">{t('loading')}</span>
    </div>
  );
}

/** While a page's code is being fetched (each route is its own chunk): the same spinner as the session wait. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div className="page page-center" aria-busy="true" role="status">
      <div className="spinner" aria-hidden />
      <span className="sr-only">{t('loading')}</span>
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="alert" role="alert">
      {errorMessage(error, t)}
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          {t('action.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
