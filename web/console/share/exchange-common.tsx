// Pieces the exchange pages share: state, level and grade tags, the due-date cell with its overdue
// highlight and escalation level, and the member of the signed-in user.
import { Space, Tag, Tooltip, Typography } from 'antd';
import { RiseOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import type { Page } from '../../shared/types';
import { useCurrentMe, useLocale } from '../hooks';
import type { MemberRef, ProviderLevel, RequestState } from './exchange-types';

const STATE_COLOURS: Record<RequestState, string> = {
  compliance: 'processing',
  provider: 'processing',
  core_approval: 'purple',
  approved: 'success',
  refused: 'error',
  returned: 'warning',
  withdrawn: 'default',
};

export function RequestStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOURS[state as RequestState] ?? 'default'} data-testid="request-state">
      {t(`console.share.ex.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

const LEVEL_COLOURS: Record<ProviderLevel, string> = { city: 'blue', district: 'cyan', province: 'orange', national: 'red' };

export function LevelTag({ level, external }: { level: string | null | undefined; external?: boolean }) {
  const { t } = useTranslation();
  if (!level) return null;
  return (
    <Tag color={LEVEL_COLOURS[level as ProviderLevel] ?? 'default'} bordered={false}>
      {t(`console.share.ex.level.${level}`, { defaultValue: level })}
      {external && level !== 'province' && level !== 'national' ? ` · ${t('console.share.ex.c.external')}` : ''}
    </Tag>
  );
}

export function GradeTag({ grade }: { grade: string | null | undefined }) {
  const { t } = useTranslation();
  if (!grade) return null;
  const colour = grade === 'core' ? 'red' : grade === 'important' ? 'gold' : 'default';
  return <Tag color={colour}>{t(`console.share.ex.grade.${grade}`, { defaultValue: grade })}</Tag>;
}

/** Due date of the open step: red and tagged when overdue, with its escalation level. */
export function DueCell({ dueDate, dueAt, overdue, escalationLevel }: { dueDate?: string | null; dueAt?: string | null; overdue?: boolean; escalationLevel?: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!dueDate) return <>—</>;
  const esc = escalationLevel && escalationLevel > 0 ? escalationLevel : 0;
  return (
    <Space size={4} wrap>
      {overdue ? (
        <Tooltip title={dueAt ? formatDateTime(dueAt, locale, false) : undefined}>
          <Tag color="error" icon={<WarningOutlined />} data-testid="overdue-tag">
            {dueDate} {t('console.share.ex.c.overdue')}
          </Tag>
        </Tooltip>
      ) : (
        <span>{dueDate}</span>
      )}
      {esc > 0 && (
        <Tag color={esc >= 3 ? 'magenta' : 'orange'} icon={<RiseOutlined />} data-testid="escalation-tag">
          {t(`console.share.ex.escalation.${Math.min(esc, 3)}`)}
        </Tag>
      )}
    </Space>
  );
}

/** "n working days", or a dash. */
export function Days({ n }: { n: number | null | undefined }) {
  const { t } = useTranslation();
  if (n === null || n === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span>{t('console.share.ex.c.days', { n: Math.round(n * 10) / 10 })}</span>;
}

/** The X-Road member of the signed-in user's organisation (null when it has none, or it is not visible). */
export function useMyMember() {
  const me = useCurrentMe();
  const code = me.org?.code;
  return useQuery({
    queryKey: ['share', 'members', 'mine', code],
    enabled: !!code,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const page = await api.get<Page<MemberRef & { orgId?: string | null }>>('/api/share/members', { q: code, limit: 50 });
      return page.items.find((m) => (m.orgId && m.orgId === me.org?.id) || m.code === code) ?? null;
    },
  });
}
