import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyLocale } from '../shared/i18n';
import type { Locale } from '../shared/types';
import { useLocale } from './hooks';

/** Language switch on the login page: nobody is signed in, so it is remembered in this browser only. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Segmented<Locale>
      value={locale}
      aria-label={t('lang.label')}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
      onChange={(v) => applyLocale(v)}
    />
  );
}
