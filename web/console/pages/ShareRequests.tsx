// Data requests by box: my own (consumer), the bureau's compliance queue, those awaiting my answer
// (provider) and all of them (bureau); each a paged table with the open step's due date, overdue
// highlight and escalation level. "New request" opens the request form.
import { useState } from 'react';
import { Card, Checkbox, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../shared/format';
import { DataTable, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { useCan, useLocale } from '../hooks';
import { DueCell, LevelTag, RequestStateTag } from '../share/exchange-common';
import { NewRequestModal } from '../share/request-form';
import { REQUEST_STATES, consumerLabel, providerOf, resourceLabel, type Box, type RequestState, type ShareRequestRow } from '../share/exchange-types';
import '../share/exchange-pages.css';

function RequestTable({ box }: { box: Box }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNavigate();
  const [state, setState] = useState<RequestState | undefined>();
  const [overdue, setOverdue] = useState(false);
  const list = usePagedList<ShareRequestRow>(['share', 'requests', box], '/api/share/requests', { box, state, overdue: overdue || undefined });
  const c = 'console.share.ex.c';
  return (
    <>
      <Toolbar>
        <Select<RequestState>
          allowClear
          placeholder={t('console.share.ex.list.filterState')}
          aria-label={t('console.share.ex.list.filterState')}
          value={state}
          onChange={(v) => setState(v ?? undefined)}
          style={{ width: 150 }}
          popupMatchSelectWidth={false}
          options={REQUEST_STATES.map((s) => ({ value: s, label: t(`console.share.ex.state.${s}`) }))}
          data-testid="filter-state"
        />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="filter-overdue">
          {t('console.share.ex.list.overdueOnly')}
        </Checkbox>
      </Toolbar>
      <DataTable<ShareRequestRow>
        {...list}
        rowKey="id"
        size="middle"
        scroll={{ x: 1130 }}
        data-testid={`requests-${box}`}
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        onRow={(r) => ({ onDoubleClick: () => nav(`/share/requests/${r.id}`) })}
        columns={[
          {
            title: t(`${c}.scenario`),
            key: 'scenario',
            width: 180,
            render: (_, r) => (
              <div className="cell-stack">
                <span>{r.scenario}</span>
                <Typography.Text type="secondary" className="exchange-sub">
                  {formatDateTime(r.submittedAt, locale, false)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t(`${c}.resource`),
            key: 'resource',
            width: 180,
            render: (_, r) => (
              <Space size={4}>
                {r.kind === 'demand' && (
                  <Tag color="gold" bordered={false}>
                    {t(`${c}.demandTag`)}
                  </Tag>
                )}
                <span>{resourceLabel(r)}</span>
              </Space>
            ),
          },
          {
            title: t(`${c}.consumer`),
            key: 'consumer',
            width: 150,
            render: (_, r) => {
              const cl = consumerLabel(r);
              return (
                <div className="cell-stack">
                  <span>{cl.name}</span>
                  {cl.system && <code className="muted-code">{cl.system}</code>}
                </div>
              );
            },
          },
          {
            title: t(`${c}.provider`),
            key: 'provider',
            width: 170,
            render: (_, r) => {
              const p = providerOf(r);
              return (
                <Space size={4} wrap>
                  <span>{p.name ?? '—'}</span>
                  <LevelTag level={p.level} external={p.external} />
                </Space>
              );
            },
          },
          { title: t(`${c}.step`), dataIndex: 'currentStep', width: 100, render: (s: string | null) => (s ? t(`console.share.ex.step.${s}`, { defaultValue: s }) : '—') },
          { title: t(`${c}.due`), key: 'due', width: 160, render: (_, r) => <DueCell dueDate={r.dueDate} overdue={r.overdue} escalationLevel={r.escalationLevel} /> },
          { title: t(`${c}.state`), dataIndex: 'state', width: 120, render: (s: string) => <RequestStateTag state={s} /> },
          ...actionsColumn<ShareRequestRow>(t, (r) => <RowButton onClick={() => nav(`/share/requests/${r.id}`)}>{t(`${c}.open`)}</RowButton>, { width: 70 }),
        ]}
      />
    </>
  );
}

export default function ShareRequests() {
  const { t } = useTranslation();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const canCreate = can('share.request.create');
  const canReview = can('share.request.review');
  const canAnswer = can('share.request.answer');
  const l = 'console.share.ex.list';
  const tabs = [
    canCreate && { key: 'mine', label: t(`${l}.tabMine`), children: <RequestTable box="mine" /> },
    canReview && { key: 'review', label: t(`${l}.tabReview`), children: <RequestTable box="review" /> },
    canAnswer && { key: 'provider', label: t(`${l}.tabProvider`), children: <RequestTable box="provider" /> },
    canReview && { key: 'all', label: t(`${l}.tabAll`), children: <RequestTable box="all" /> },
  ].filter((x): x is { key: Box; label: string; children: React.JSX.Element } => !!x);
  return (
    <div className="page">
      <div className="exchange-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t(`${l}.title`)}
          </Typography.Title>
          <Typography.Paragraph type="secondary" className="exchange-intro">
            {t(`${l}.intro`)}
          </Typography.Paragraph>
        </div>
        {canCreate && <Toolbar create={{ label: t(`${l}.create`), onClick: () => setCreating(true), testId: 'new-request' }} />}
      </div>
      <Card variant="borderless" size="small">
        <Tabs items={tabs} defaultActiveKey={canReview ? 'review' : canCreate ? 'mine' : 'provider'} destroyOnHidden data-testid="request-tabs" />
      </Card>
      <NewRequestModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
