import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLanguageSwitch } from '../../shared/session';
import type { Locale } from '../../shared/types';
import { useNotify } from '../hooks';

const LABELS: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

/** 中文 / English. Signed in, the choice is saved on the account; on the login page, in this browser only. */
export function LanguageSwitch({ size = 'middle', testId }: { size?: 'small' | 'middle' | 'large'; testId?: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const lang = useLanguageSwitch({ onError: notify.fail });
  return (
    <Segmented<Locale>
      size={size}
      value={lang.current}
      aria-label={t('lang.label')}
      options={lang.locales.map((l) => ({ label: LABELS[l], value: l }))}
      onChange={(v) => void lang.choose(v)}
      data-testid={testId}
    />
  );
}
