import { useTranslation } from 'react-i18next';
import { useLanguageSwitch } from '../shared/session';

/** 中 / EN buttons in the big screen's style. */
export function LangSwitch() {
  const { t } = useTranslation();
  const lang = useLanguageSwitch();
  return (
    <div className="lang-switch" role="radiogroup" aria-label={t('lang.label')}>
      {lang.locales.map((l) => (
        <button key={l} type="button" role="radio" aria-checked={lang.current === l} className={lang.current === l ? 'on' : ''} onClick={() => void lang.choose(l)}>
          {t(`lang.short.${l}`)}
        </button>
      ))}
    </div>
  );
}
