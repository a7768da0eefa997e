// The officer's worklist: applications for the items of their organisations, with deadlines, claims,
// bulk accept/approve and the application drawer where decisions are taken.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Modal, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ClockCircleOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime, shanghaiToday } from '../../shared/format';
import { DataTable, FilterSelect, RowButton, actionsColumn, usePagedList } from '../components/DataTable';
import { shortId, useCurrentMe, useLocale, useSave } from '../hooks';
import { ItemSelect, StateTag } from '../svc/common';
import { ApplicationDrawer } from '../svc/ApplicationDrawer';
import { APP_STATES, type AppState, type Application } from '../svc/types';

type BulkResult = ResponseOf<'/api/svc/applications/bulk', 'post'>;

/** Days from today (Shanghai) to a YYYY-MM-DD date; negative when past. */
function daysUntil(ymd: string): number {
  const a = Date.parse(`${shanghaiToday()}T00:00:00Z`);
  const b = Date.parse(`${ymd}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

export function DueCell({ app }: { app: Pick<Application, 'dueDate' | 'dueAt' | 'overdue' | 'state'> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!app.dueDate) return <>—</>;
  if (app.overdue)
    return (
      <Tooltip title={formatDateTime(app.dueAt, locale, false)}>
        <Tag color="error" icon={<WarningOutlined />} data-testid="overdue-tag">
          {app.dueDate} {t('console.svc.worklist.overdue')}
        </Tag>
      </Tooltip>
    );
  if (app.state === 'correction_requested') {
    return (
      <Tooltip title={t('console.svc.worklist.clockStopped')}>
        <Typography.Text type="secondary">
          <ClockCircleOutlined /> {app.dueDate}
        </Typography.Text>
      </Tooltip>
    );
  }
  const running = ['submitted', 'accepted', 'resubmitted'].includes(app.state);
  const soon = running && daysUntil(app.dueDate) <= 2;
  return soon ? (
    <Tag color="warning" icon={<ClockCircleOutlined />}>
      {app.dueDate} {t('console.svc.worklist.dueSoon')}
    </Tag>
  ) : (
    <span>{app.dueDate}</span>
  );
}

export default function SvcWorklist() {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useCurrentMe();
  const qc = useQueryClient();
  const [state, setState] = useState<AppState | undefined>();
  const [itemId, setItemId] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [claimed, setClaimed] = useState<'all' | 'me' | 'unclaimed'>('all');
  const [selected, setSelected] = useState<string[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [bulkResult, setBulkResult] = useState<BulkResult | null>(null);

  const filters = { state, itemId, overdue: overdue || undefined, claimed: claimed === 'all' ? undefined : claimed };
  const list = usePagedList<Application>(['svc-worklist'], '/api/svc/worklist', filters);
  const overdueCount = (list.query.data as { overdueCount?: number } | undefined)?.overdueCount ?? 0;
  const rows = list.rows;
  const selectedRows = useMemo(() => (rows ?? []).filter((r) => selected.includes(r.id)), [rows, selected]);

  const claim = useSave(({ id, on }: { id: string; on: boolean }) => api.post(`/api/svc/applications/${id}/${on ? 'claim' : 'unclaim'}`), {
    refresh: 'svc-worklist',
    ok: (_, v) => (v.on ? t('console.svc.worklist.claimed') : t('console.svc.worklist.unclaimed')),
    then: () => void qc.invalidateQueries({ queryKey: ['svc-application'] }),
  });
  const bulk = useSave((action: 'accept' | 'approve') => api.post<BulkResult>('/api/svc/applications/bulk', { action, ids: selected }), {
    refresh: 'svc-worklist',
    then: (r) => {
      setSelected([]);
      setBulkResult(r);
    },
  });
  const canBulkAccept = selectedRows.length > 0 && selectedRows.every((r) => r.state === 'submitted' || r.state === 'resubmitted');
  const canBulkApprove = selectedRows.length > 0 && selectedRows.every((r) => r.state === 'accepted');

  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space wrap>
            <FilterSelect<AppState>
              placeholder={t('console.svc.worklist.state')}
              value={state}
              onChange={setState}
              width={150}
              options={APP_STATES.map((s) => ({ value: s, label: t(`console.svc.state.${s}`) }))}
              testId="filter-state"
            />
            <ItemSelect value={itemId} onChange={setItemId} placeholder={t('console.svc.worklist.item')} style={{ width: 280 }} />
            <Segmented
              value={claimed}
              onChange={(v) => setClaimed(v as typeof claimed)}
              options={[
                { value: 'all', label: t('console.svc.worklist.claimAll') },
                { value: 'me', label: t('console.svc.worklist.claimMe') },
                { value: 'unclaimed', label: t('console.svc.worklist.claimNone') },
              ]}
            />
            <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="filter-overdue">
              {t('console.svc.worklist.overdueOnly')}
            </Checkbox>
            {overdueCount > 0 && (
              <Tag color="error" icon={<WarningOutlined />} className="clickable-tag" onClick={() => setOverdue(true)}>
                {t('console.svc.worklist.overdueCount', { n: overdueCount })}
              </Tag>
            )}
          </Space>
          <Space wrap>
            <Button disabled={!canBulkAccept} loading={bulk.isPending && bulk.variables === 'accept'} onClick={() => bulk.mutate('accept')} data-testid="bulk-accept">
              {t('console.svc.worklist.bulkAccept', { n: selectedRows.length })}
            </Button>
            <Button type="primary" disabled={!canBulkApprove} loading={bulk.isPending && bulk.variables === 'approve'} onClick={() => bulk.mutate('approve')} data-testid="bulk-approve">
              {t('console.svc.worklist.bulkApprove', { n: selectedRows.length })}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void qc.invalidateQueries({ queryKey: ['svc-worklist'] })}>
              {t('console.c.refresh')}
            </Button>
          </Space>
        </div>
        <DataTable<Application>
          {...list}
          rowKey="id"
          size="middle"
          data-testid="worklist-table"
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (r) => ({ disabled: !['submitted', 'resubmitted', 'accepted'].includes(r.state) }) }}
          rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
          onRow={(r) => ({ onDoubleClick: () => setOpenId(r.id) })}
          scroll={{ x: 1050 }}
          columns={[
            {
              title: t('console.svc.worklist.item'),
              key: 'item',
              render: (_, r) => (
                <div className="cell-stack">
                  <a onClick={() => setOpenId(r.id)}>{r.item.name}</a>
                  <span className="muted-code">
                    {r.item.code} · {shortId(r.id)}
                  </span>
                </div>
              ),
            },
            {
              title: t('console.svc.worklist.applicant'),
              key: 'applicant',
              width: 130,
              render: (_, r) => (
                <Space size={4} wrap>
                  <span>{r.applicant.name}</span>
                  {r.agentId && <Tag className="tiny-tag">{t('console.svc.worklist.proxy')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('console.svc.worklist.state'),
              key: 'state',
              width: 160,
              render: (_, r) => (
                <Space size={4} wrap>
                  <StateTag state={r.state} />
                  {r.bundleApplicationId && (
                    <Tooltip title={t('console.svc.worklist.bundleTip', { id: shortId(r.bundleApplicationId) })}>
                      <Tag color="purple" className="clickable-tag" onClick={() => setOpenId(r.id)} data-testid="bundle-tag">
                        {t('console.svc.worklist.bundle')}
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('console.svc.worklist.submittedAt'), dataIndex: 'submittedAt', width: 150, render: (v: string | null) => formatDateTime(v, locale, false) },
            { title: t('console.svc.worklist.due'), key: 'due', width: 170, render: (_, r) => <DueCell app={r} /> },
            {
              title: t('console.svc.worklist.claimedBy'),
              key: 'claimedBy',
              width: 150,
              render: (_, r) => (r.claimedBy ? r.claimedBy.id === me.user.id ? <Tag color="blue">{r.claimedBy.name}</Tag> : r.claimedBy.name : <Typography.Text type="secondary">—</Typography.Text>),
            },
            ...actionsColumn<Application>(
              t,
              (r) => {
                const final = ['completed', 'withdrawn'].includes(r.state);
                return (
                  <Space size={0}>
                    <RowButton onClick={() => setOpenId(r.id)}>{t('console.svc.worklist.detail')}</RowButton>
                    {!final && !r.claimedBy && (
                      <RowButton onClick={() => claim.mutate({ id: r.id, on: true })}>
                        <span data-testid="row-claim">{t('console.svc.worklist.claim')}</span>
                      </RowButton>
                    )}
                    {r.claimedBy?.id === me.user.id && <RowButton onClick={() => claim.mutate({ id: r.id, on: false })}>{t('console.svc.worklist.unclaim')}</RowButton>}
                  </Space>
                );
              },
              { width: 140 },
            ),
          ]}
        />
      </Card>
      <ApplicationDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onOpen={setOpenId}
      />
      <Modal open={!!bulkResult} title={bulkResult ? t('console.svc.worklist.bulkResult', { ok: bulkResult.succeeded, failed: bulkResult.failed }) : ''} onCancel={() => setBulkResult(null)} footer={null}>
        {bulkResult && bulkResult.failed === 0 && <Alert type="success" showIcon title={t('console.svc.worklist.bulkResult', { ok: bulkResult.succeeded, failed: 0 })} />}
        {bulkResult && bulkResult.failed > 0 && (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={bulkResult.results.filter((r) => !r.ok)}
            columns={[
              { title: t('console.svc.app.number'), dataIndex: 'id', render: (v: string) => <code>{shortId(v)}</code> },
              { title: t('console.svc.import.message'), dataIndex: 'detail' },
            ]}
          />
        )}
      </Modal>
    </div>
  );
}
