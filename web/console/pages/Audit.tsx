import { useState } from 'react';
import { Alert, AutoComplete, Button, Card, DatePicker, Input, Space, Table, Tooltip, Typography } from 'antd';
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { actionLabel, knownActions } from '../../shared/actions';
import { errorMessage } from '../../shared/errors';
import { formatDateTime, shanghaiDayEnd, shanghaiDayStart } from '../../shared/format';
import type { AuditEntry } from '../../shared/types';
import { UserSelect } from '../components/UserSelect';
import { shortId, useCan, useLocale } from '../hooks';

interface Filters {
  action?: string;
  entityType?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

type VerifyResult = ResponseOf<'/api/audit/verify'>;

const BREAK_REASONS = ['edited', 'deleted', 'reordered', 'inserted', 'truncated', 'head-missing'];

/** Audit summaries are small JSON documents; show them as "key: value" pairs. */
function summaryText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v !== 'object') return String(v);
  const out: string[] = [];
  const walk = (o: unknown, key: string) => {
    if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
      for (const [k, x] of Object.entries(o as Record<string, unknown>)) walk(x, k === 'note' && !key ? '' : key ? `${key}.${k}` : k);
    } else {
      out.push(`${key || 'value'}: ${Array.isArray(o) ? o.join(', ') : String(o)}`);
    }
  };
  walk(v, '');
  return out.join('; ');
}

const ENTITY_TYPES = ['user', 'org', 'role', 'api_key', 'oidc_client', 'job', 'session'];
const PAGE = 50;

type DayValue = { format: (f: string) => string } | null;

export default function Audit() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const [draft, setDraft] = useState<Filters>({});
  const [range, setRange] = useState<[DayValue, DayValue] | null>(null);
  const [filters, setFilters] = useState<Filters>({});

  const list = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api.get<ResponseOf<'/api/audit'>>('/api/audit', { ...filters, cursor: pageParam ?? undefined, limit: PAGE }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const verify = useMutation({ mutationFn: () => api.get<VerifyResult>('/api/audit/verify') });

  const apply = () => {
    const from = range?.[0] ? shanghaiDayStart(range[0].format('YYYY-MM-DD')) : undefined;
    const to = range?.[1] ? shanghaiDayEnd(range[1].format('YYYY-MM-DD')) : undefined;
    setFilters({
      action: draft.action?.trim() || undefined,
      entityType: draft.entityType?.trim() || undefined,
      actorId: draft.actorId || undefined,
      from,
      to,
    });
  };
  const reset = () => {
    setDraft({});
    setRange(null);
    setFilters({});
  };

  return (
    <div className="page">
      <Card variant="borderless">
        <div className="audit-intro">
          <Typography.Text type="secondary">
            <SafetyCertificateOutlined /> {t('console.audit.intro')}
          </Typography.Text>
          {can('audit.verify') && (
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="verify-chain">
              {verify.isPending ? t('console.audit.verifying') : t('console.audit.verify')}
            </Button>
          )}
        </div>
        <div className="toolbar">
          <Space wrap>
            <AutoComplete
              allowClear
              placeholder={t('console.audit.actionPlaceholder')}
              value={draft.action}
              onChange={(v) => setDraft({ ...draft, action: v })}
              options={knownActions().map((a) => ({ value: a, label: `${actionLabel(a, locale)}  ${a}` }))}
              showSearch={{ filterOption: (input, opt) => String(opt?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
              style={{ width: 190 }}
              popupMatchSelectWidth={300}
              data-testid="audit-action"
            />
            <AutoComplete
              allowClear
              placeholder={t('console.audit.entityTypePlaceholder')}
              value={draft.entityType}
              onChange={(v) => setDraft({ ...draft, entityType: v })}
              options={ENTITY_TYPES.map((e) => ({ value: e }))}
              style={{ width: 160 }}
            />
            {can('user.read') ? (
              <UserSelect placeholder={t('console.audit.actorPlaceholder')} value={draft.actorId} onChange={(v) => setDraft({ ...draft, actorId: v })} style={{ width: 220 }} />
            ) : (
              <Input placeholder={t('console.audit.actorIdPlaceholder')} value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.target.value })} style={{ width: 220 }} />
            )}
            <DatePicker.RangePicker value={range as never} onChange={(v) => setRange((v as [DayValue, DayValue] | null) ?? null)} allowEmpty={[true, true]} />
            <Button type="primary" icon={<SearchOutlined />} onClick={apply}>
              {t('action.search')}
            </Button>
            <Button onClick={reset}>{t('action.reset')}</Button>
          </Space>
        </div>
        {verify.data && (
          <Alert
            className="verify-result"
            showIcon
            closable={{ onClose: () => verify.reset() }}
            type={verify.data.ok ? 'success' : 'error'}
            title={t('console.audit.verifyTitle')}
            description={
              verify.data.ok ? (
                t('console.audit.verifyOk', { count: verify.data.checked })
              ) : verify.data.breaks?.length ? (
                <>
                  {t('console.audit.verifyBrokenCount', { count: verify.data.broken ?? verify.data.breaks.length, checked: verify.data.checked })}
                  <ul className="verify-breaks">
                    {verify.data.breaks.map((b) => (
                      <li key={`${b.seq}-${b.reason}`}>
                        {t('console.audit.verifyBreak', { seq: b.seq, reason: BREAK_REASONS.includes(b.reason) ? t(`console.audit.breakReason.${b.reason}`) : b.reason })}
                      </li>
                    ))}
                  </ul>
                  {(verify.data.broken ?? 0) > verify.data.breaks.length && t('console.audit.verifyBreaksMore', { count: verify.data.breaks.length })}
                </>
              ) : (
                t('console.audit.verifyBroken', { seq: verify.data.brokenAt?.seq ?? '?', reason: verify.data.brokenAt?.detail ?? verify.data.brokenAt?.reason ?? '' })
              )
            }
            data-testid="verify-result"
          />
        )}
        {verify.isError && <Alert className="verify-result" type="error" showIcon title={errorMessage(verify.error, t)} />}
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error, t)} style={{ marginBottom: 12 }} />}
        <Table<AuditEntry>
          rowKey="seq"
          size="middle"
          loading={list.isFetching && !list.isFetchingNextPage}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1250 }}
          data-testid="audit-table"
          columns={[
            { title: t('console.audit.seq'), dataIndex: 'seq', width: 70 },
            { title: t('console.audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v, locale) },
            {
              title: t('console.audit.actor'),
              key: 'actor',
              width: 170,
              render: (_, a) => (
                <div className="cell-stack">
                  <span>{a.actorName ?? (a.actorId ? shortId(a.actorId) : t('console.audit.system'))}</span>
                  {a.onBehalfOf && <Typography.Text type="secondary">{t('console.audit.onBehalfOf', { name: a.onBehalfOf })}</Typography.Text>}
                </div>
              ),
            },
            {
              title: t('console.audit.action'),
              dataIndex: 'action',
              width: 190,
              render: (v: string) => (
                <div className="cell-stack">
                  <span>{actionLabel(v, locale)}</span>
                  <code className="muted-code">{v}</code>
                </div>
              ),
            },
            {
              title: t('console.audit.entity'),
              key: 'entity',
              width: 160,
              render: (_, a) =>
                a.entityType ? (
                  <Tooltip title={a.entityId}>
                    <span>
                      {a.entityType}
                      {a.entityId ? <code className="muted-code"> {shortId(a.entityId)}</code> : null}
                    </span>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            {
              title: t('console.audit.summary'),
              dataIndex: 'summary',
              ellipsis: { showTitle: false },
              render: (v: unknown) => {
                const text = summaryText(v);
                return text ? (
                  <Tooltip title={<pre className="summary-tip">{JSON.stringify(v, null, 2)}</pre>}>
                    <span className="summary-text">{text}</span>
                  </Tooltip>
                ) : (
                  '—'
                );
              },
            },
            { title: t('console.audit.ip'), dataIndex: 'ip', width: 120, render: (v: string | null) => v ?? '—' },
            {
              title: t('console.audit.hash'),
              dataIndex: 'hash',
              width: 110,
              render: (v: string) => (
                <Tooltip title={<code className="hash-tip">{v}</code>}>
                  <code className="muted-code">{v?.slice(0, 10)}</code>
                </Tooltip>
              ),
            },
          ]}
        />
        <div className="load-more">
          <Typography.Text type="secondary">{t('console.audit.shown', { count: rows.length })}</Typography.Text>
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="audit-load-more">
              {t('console.c.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('console.c.noMore')}</Typography.Text>
          )}
        </div>
      </Card>
    </div>
  );
}
