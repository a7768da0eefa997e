// Credit repair review: the repairs this organisation decides, with state and deadlines (overdue
// highlighted); the detail with accept, request more material, approve and reject with reasons.
import { useState } from 'react';
import { Button, Card, Drawer, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, FileAddOutlined, LoginOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { DataTable, FilterSelect, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { QueryError } from '../components/QueryError';
import { useLocale, useSave } from '../hooks';
import { RepairStateTag, day } from '../credit/common';
import { RepairView } from '../credit/RepairView';
import { isPast, repairDeadlines } from '../../shared/credit/deadlines';
import type { Repair, RepairRow } from '../../shared/credit/types';
import '../credit/credit.css';

const STATES = ['submitted', 'accepted', 'material_requested', 'resubmitted', 'withdrawn', 'synced', 'rejected'];
const CLOSED = ['rejected', 'withdrawn', 'synced', 'draft'];
type Op = 'accept' | 'request-material' | 'approve' | 'reject';

/** The deadline that matters now: acceptance while not accepted, then the decision. */
function nextDeadline(r: RepairRow): { key: string; at: string } | null {
  if (CLOSED.includes(r.state)) return null;
  const all = repairDeadlines(r);
  const want = r.state === 'submitted' || r.state === 'resubmitted' ? 'accept' : 'decide';
  return all.find((d) => d.key === want) ?? all[0] ?? null;
}

function isOverdue(r: RepairRow): boolean {
  if (r.overdue !== undefined) return r.overdue;
  const d = nextDeadline(r);
  return !!d && isPast(d.at);
}

function DecisionButtons({ repair, onDone }: { repair: Repair; onDone: () => void }) {
  const { t } = useTranslation();
  const [ask, setAsk] = useState<Op | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const act = useSave(({ op, reason }: { op: Op; reason?: string }) => api.post<Repair>(`/api/credit/repairs/${repair.id}/${op}`, reason === undefined ? {} : { reason }), {
    refresh: 'credit',
    ok: (_, v) => t(`credit.repair.done.${v.op}`),
    then: () => {
      setAsk(null);
      onDone();
    },
  });
  const s = repair.state;
  // The backend's transitions: accept a submitted application; ask for material or approve once
  // accepted (or resubmitted); reject at any open step the department holds.
  const canAccept = s === 'submitted';
  const canDecide = s === 'accepted' || s === 'resubmitted';
  const canReject = canDecide || s === 'submitted';
  if (!canAccept && !canReject) return null;
  return (
    <>
      <Space wrap>
        {canAccept && (
          <Button icon={<LoginOutlined />} onClick={() => act.mutate({ op: 'accept' })} loading={act.isPending && act.variables?.op === 'accept'} data-testid="repair-accept">
            {t('credit.repair.accept')}
          </Button>
        )}
        {canDecide && (
          <>
            <Button icon={<FileAddOutlined />} onClick={() => setAsk('request-material')} data-testid="repair-request-material">
              {t('credit.repair.requestMaterial')}
            </Button>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setAsk('approve')} data-testid="repair-approve">
              {t('credit.repair.approve')}
            </Button>
          </>
        )}
        {canReject && (
          <Button danger icon={<CloseOutlined />} onClick={() => setAsk('reject')} data-testid="repair-reject">
            {t('credit.repair.reject')}
          </Button>
        )}
      </Space>
      <Modal
        open={!!ask}
        title={ask ? t(`credit.repair.ask.${ask}`) : ''}
        onCancel={() => setAsk(null)}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        okButtonProps={{ danger: ask === 'reject', ...({ 'data-testid': 'decision-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => ask && act.mutate({ op: ask, reason: v.reason.trim() })}>
          <Form.Item
            name="reason"
            label={ask === 'approve' ? t('credit.repair.approveReason') : ask === 'request-material' ? t('credit.repair.materialReason') : t('credit.repair.rejectReason')}
            rules={[{ required: true, whitespace: true, message: t('credit.repair.reasonRequired') }]}
            initialValue={ask === 'approve' ? t('credit.repair.approveDefault') : undefined}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="decision-reason" />
          </Form.Item>
          {ask === 'approve' && <Typography.Paragraph type="secondary">{t('credit.repair.approveEffect')}</Typography.Paragraph>}
        </Form>
      </Modal>
    </>
  );
}

function RepairDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const detail = useQuery({ queryKey: ['credit', 'repair', id], queryFn: () => api.get<Repair>(`/api/credit/repairs/${id}`), enabled: !!id });
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={860}
      title={t('credit.repair.detailTitle')}
      destroyOnHidden
      extra={detail.data && <DecisionButtons repair={detail.data} onDone={() => void detail.refetch()} />}
    >
      <QueryError error={detail.error} onRetry={() => void detail.refetch()} />
      {detail.data && <RepairView repair={detail.data} locale={locale} />}
    </Drawer>
  );
}

export default function CreditRepairs() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [state, setState] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<RepairRow>(['credit', 'repairs'], '/api/credit/repairs', { state });
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t('credit.repair.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('credit.repair.intro')}</Typography.Paragraph>
      <Card variant="borderless" size="small">
        <Toolbar>
          <FilterSelect placeholder={t('credit.repair.state')} value={state} onChange={setState} width={160} options={STATES.map((s) => ({ value: s, label: t(`credit.repairState.${s}`) }))} />
        </Toolbar>
        <DataTable<RepairRow>
          {...list}
          rowKey="id"
          size="middle"
          scroll={{ x: 1100 }}
          data-testid="repairs-table"
          rowClassName={(r) => (isOverdue(r) ? 'row-overdue' : '')}
          onRow={(r) => ({ onDoubleClick: () => setOpen(r.id) })}
          columns={[
            {
              title: t('credit.repair.subject'),
              key: 'subject',
              render: (_, r) => (
                <div className="cell-stack">
                  <span>{r.subjectName ?? '—'}</span>
                  <code className="muted-code">{r.subjectCode ?? ''}</code>
                </div>
              ),
            },
            { title: t('credit.repair.docNo'), key: 'doc', width: 220, render: (_, r) => r.documentNo ?? '—' },
            { title: t('credit.repair.state'), dataIndex: 'state', width: 120, render: (s: string) => <RepairStateTag state={s} /> },
            { title: t('credit.repair.submittedAt'), dataIndex: 'submittedAt', width: 160, render: (v: string | null) => (v ? formatDateTime(v, locale, false) : '—') },
            {
              title: t('credit.repair.deadline'),
              key: 'deadline',
              width: 200,
              render: (_, r) => {
                const d = nextDeadline(r);
                if (!d) return '—';
                return (
                  <Space size={4}>
                    <span>
                      {t(`credit.repairDue.${d.key}`, { defaultValue: d.key })} {day(d.at)}
                    </span>
                    {isOverdue(r) && (
                      <Tag color="error" data-testid="overdue-tag">
                        {t('credit.repair.overdue')}
                      </Tag>
                    )}
                  </Space>
                );
              },
            },
            ...actionsColumn<RepairRow>(t, (r) => <RowButton onClick={() => setOpen(r.id)}>{t('credit.repair.review')}</RowButton>, { width: 100 }),
          ]}
        />
      </Card>
      <RepairDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
