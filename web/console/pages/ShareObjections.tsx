// Objections (疑义) on shared records: those I raised and those my department received as the provider,
// with the provider's answer (accept and correct, or reject) and resolution.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Card, Form, Input, Radio, Space, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ItemOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { DataTable, FilterSelect, RowButton, actionsColumn, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { useCan, useLocale, useSave } from '../hooks';

const c = 'console.share.cat';
const OBJ_STATES = ['raised', 'answered', 'rejected', 'corrected', 'closed'] as const;
const STATE_COLOUR: Record<string, string> = { raised: 'orange', answered: 'blue', rejected: 'red', corrected: 'green', closed: 'default' };

export type Objection = ItemOf<'/api/share/objections'>;

export function ObjectionStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOUR[state]}>{t(`${c}.obj.state.${state}`)}</Tag>;
}

/** The objections table of one box (or of one resource), with the provider's actions on received ones. */
export function ObjectionsTable({ box, resourceId }: { box: 'raised' | 'received' | 'all'; resourceId?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const nav = useNavigate();
  const [state, setState] = useState<string | undefined>();
  const [answering, setAnswering] = useState<Objection | null>(null);
  const [resolving, setResolving] = useState<Objection | null>(null);
  const [answerForm] = Form.useForm<{ accepted: boolean; answer: string }>();
  const [resolveForm] = Form.useForm<{ note: string }>();
  const list = usePagedList<Objection>(['share-objections', box, resourceId ?? ''], '/api/share/objections', { box, state, resourceId });
  const answer = useSave((v: { accepted: boolean; answer: string }) => api.post(`/api/share/objections/${answering!.id}/answer`, v), { refresh: 'share-objections', ok: () => t(`${c}.obj.answered`), then: () => setAnswering(null) });
  const resolve = useSave((v: { note: string }) => api.post(`/api/share/objections/${resolving!.id}/resolve`, v), { refresh: 'share-objections', ok: () => t(`${c}.obj.resolved`), then: () => setResolving(null) });
  const provider = box === 'received' && can('share.request.answer');
  return (
    <>
      <div className="toolbar">
        <Space wrap>
          <FilterSelect placeholder={t(`${c}.f.state`)} value={state} onChange={setState} width={140} options={OBJ_STATES.map((s) => ({ value: s, label: t(`${c}.obj.state.${s}`) }))} />
        </Space>
      </div>
      <DataTable<Objection>
        {...list}
        rowKey="id"
        data-testid={`objections-${box}`}
        scroll={{ x: 1100 }}
        columns={[
          ...(resourceId ? [] : [{ title: t(`${c}.obj.resource`), key: 'resource', width: 90, render: (_: unknown, o: Objection) => <a onClick={() => nav(`/share/resources/${o.resourceId}`)}>{t(`${c}.obj.open`)}</a> }]),
          { title: t(`${c}.obj.recordKey`), dataIndex: 'recordKey', width: 170, render: (v: string) => <code>{v}</code> },
          { title: t(`${c}.obj.column`), dataIndex: 'column', width: 120, render: (v: string) => <code>{v}</code> },
          { title: t(`${c}.obj.valueAtRaise`), dataIndex: 'valueAtRaise', width: 140, render: (v: string | null) => v ?? '—' },
          { title: t(`${c}.obj.description`), dataIndex: 'description' },
          { title: t(`${c}.obj.answer`), dataIndex: 'answer', render: (v: string | null, o) => (v ? `${v}${o.resolveNote ? `（${o.resolveNote}）` : ''}` : '—') },
          { title: t(`${c}.f.state`), dataIndex: 'state', width: 120, render: (v: string) => <ObjectionStateTag state={v} /> },
          { title: t(`${c}.obj.createdAt`), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale) },
          ...actionsColumn<Objection>(
            t,
            (o) => (
              <Space size={0}>
                {o.state === 'raised' && <RowButton onClick={() => setAnswering(o)}>{t(`${c}.obj.answerTitle`)}</RowButton>}
                {['answered', 'corrected', 'rejected'].includes(o.state) && <RowButton onClick={() => setResolving(o)}>{t(`${c}.obj.resolve`)}</RowButton>}
              </Space>
            ),
            { show: provider, width: 120 },
          ),
        ]}
      />
      <FormModal open={!!answering} title={t(`${c}.obj.answerTitle`)} form={answerForm} onClose={() => setAnswering(null)} save={answer} initialValues={{ accepted: true }}>
        <Form.Item name="accepted" rules={[{ required: true }]}>
          <Radio.Group options={[{ value: true, label: t(`${c}.obj.accepted`) }, { value: false, label: t(`${c}.obj.rejectedChoice`) }]} />
        </Form.Item>
        <Form.Item name="answer" label={t(`${c}.obj.answer`)} rules={[{ required: true }, { max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
      <FormModal open={!!resolving} title={t(`${c}.obj.resolveTitle`)} form={resolveForm} onClose={() => setResolving(null)} save={resolve}>
        <Form.Item name="note" label={t(`${c}.obj.note`)} rules={[{ required: true }, { max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </>
  );
}

export default function ShareObjections() {
  const { t } = useTranslation();
  const can = useCan();
  const tabs = [
    ...(can('share.request.create') ? [{ key: 'raised', label: t(`${c}.obj.raised`), children: <ObjectionsTable box="raised" /> }] : []),
    ...(can('share.request.answer') ? [{ key: 'received', label: t(`${c}.obj.received`), children: <ObjectionsTable box="received" /> }] : []),
  ];
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <Tabs items={tabs} destroyOnHidden />
      </Card>
    </div>
  );
}
