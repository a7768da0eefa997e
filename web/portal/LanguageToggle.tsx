import { useTranslation } from 'react-i18next';
import { useLanguageSwitch } from '../shared/session';

interface Props {
  /** Told whether the choice was saved on the account (signed in) or could not be. */
  onSaved?: (ok: boolean) => void;
}

function useReported(onSaved: Props['onSaved']) {
  return useLanguageSwitch({ onSaved: onSaved && (() => onSaved(true)), onError: onSaved && (() => onSaved(false)) });
}

/** Compact 中 / EN switch for the top bar. */
export function LanguageToggle({ onSaved, light }: Props & { light?: boolean }) {
  const { t } = useTranslation();
  const lang = useReported(onSaved);
  return (
    <button
      type="button"
      className={`lang-toggle${light ? ' lang-toggle-light' : ''}`}
      disabled={lang.busy}
      aria-label={`${t('lang.label')}: ${t(`lang.${lang.other}`)}`}
      title={t(`lang.${lang.other}`)}
      onClick={() => void lang.choose(lang.other)}
    >
      {lang.locales.map((l) => (
        <span key={l} className={lang.current === l ? 'on' : ''}>
          {t(`lang.short.${l}`)}
        </span>
      ))}
    </button>
  );
}

/** Full-width segmented control for the settings section. */
export function LanguageSegmented({ onSaved }: Props) {
  const { t } = useTranslation();
  const lang = useReported(onSaved);
  return (
    <div className="segmented" role="radiogroup" aria-label={t('lang.label')}>
      {lang.locales.map((l) => (
        <button key={l} type="button" role="radio" aria-checked={lang.current === l} className={lang.current === l ? 'active' : ''} onClick={() => void lang.choose(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
