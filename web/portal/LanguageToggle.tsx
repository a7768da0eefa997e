import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../shared/i18n';
import { useChangeLocale } from '../shared/session';
import type { Locale } from '../shared/types';

/** Compact 中 / EN switch for the top bar. */
export function LanguageToggle({ onSaved, light }: { onSaved?: (ok: boolean) => void; light?: boolean }) {
  const { t, i18n } = useTranslation();
  const change = useChangeLocale();
  const [busy, setBusy] = useState(false);
  const lng = (i18n.language as Locale) ?? currentLocale();
  const next: Locale = lng === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className={`lang-toggle${light ? ' lang-toggle-light' : ''}`}
      disabled={busy}
      aria-label={`${t('lang.label')}: ${t(`lang.${next}`)}`}
      title={t(`lang.${next}`)}
      onClick={async () => {
        setBusy(true);
        try {
          await change(next);
          onSaved?.(true);
        } catch {
          onSaved?.(false);
        } finally {
          setBusy(false);
        }
      }}
    >
      <span className={lng !== 'en' ? 'on' : ''}>中</span>
      <span className={lng === 'en' ? 'on' : ''}>EN</span>
    </button>
  );
}

/** Full-width segmented control for the settings section. */
export function LanguageSegmented({ onSaved }: { onSaved?: (ok: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const change = useChangeLocale();
  const lng = i18n.language as Locale;
  return (
    <div className="segmented" role="radiogroup" aria-label={t('lang.label')}>
      {(['zh-CN', 'en'] as Locale[]).map((l) => (
        <button
          key={l}
          type="button"
          role="radio"
          aria-checked={lng === l}
          className={lng === l ? 'active' : ''}
          onClick={async () => {
            if (l === lng) return;
            try {
              await change(l);
              onSaved?.(true);
            } catch {
              onSaved?.(false);
            }
          }}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
