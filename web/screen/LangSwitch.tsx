import { useTranslation } from 'react-i18next';
import { useChangeLocale } from '../shared/session';
import type { Locale } from '../shared/types';

export function LangSwitch() {
  const { t, i18n } = useTranslation();
  const change = useChangeLocale();
  const lng = (i18n.language === 'en' ? 'en' : 'zh-CN') as Locale;
  return (
    <div className="lang-switch" role="radiogroup" aria-label={t('lang.label')}>
      {(['zh-CN', 'en'] as Locale[]).map((l) => (
        <button
          key={l}
          type="button"
          role="radio"
          aria-checked={lng === l}
          className={lng === l ? 'on' : ''}
          onClick={() => void change(l).catch(() => undefined)}
        >
          {t(`lang.short.${l}`)}
        </button>
      ))}
    </div>
  );
}
