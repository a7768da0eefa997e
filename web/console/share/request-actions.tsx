// The decisions on a request the signed-in user may take now: the bureau's compliance check, the
// provider's answer (approve with a subset of fields, a row filter, quota and expiry; refuse with
// reasons; for an upstream provider the bureau records its answer), the bureau's core approval, and
// the consumer's withdrawal.
import { useState } from 'react';
import { Alert, Button, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space } from 'antd';
import { CheckOutlined, CloseOutlined, RedoOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { useCan, useCurrentMe, useSave } from '../hooks';
import { useMyMember } from './exchange-common';
import { RemoteSelect } from '../components/RemoteSelect';
import { OPEN_STATES, type MemberRef, type ResourceOption, type ShareRequest } from './exchange-types';

type Op = 'pass' | 'return' | 'approve' | 'refuse' | 'coreApprove' | 'coreRefuse';

interface DecisionValues {
  reason?: string;
  fields?: string[];
  clearFields?: string[];
  filterColumn?: string;
  filterValue?: string;
  quotaPerDay?: number;
  ratePerMinute?: number;
  expiresAt?: Dayjs;
  recordedName?: string;
  recordedOrg?: string;
  recordedAt?: Dayjs;
  providerMemberId?: string;
}

/** Which decisions this user may take: the server's list when it sends one, else the workflow's rules. */
export function useRequestActions(r: ShareRequest | undefined): Set<string> {
  const can = useCan();
  const me = useCurrentMe();
  const mine = useMyMember();
  const out = new Set<string>();
  if (!r) return out;
  if (r.actions) return new Set(r.actions);
  // A member's code is its organisation's code, so the answer's member codes name the user's own side.
  const myCode = me.org?.code;
  const isMine = (id: string | null | undefined, code: string | null | undefined) => (!!id && id === mine.data?.id) || (!!myCode && code === myCode);
  const external = isExternal(r);
  if (r.state === 'compliance' && can('share.request.review')) out.add('compliance');
  if (r.state === 'provider' || (r.state as string) === 'upstream') {
    if (can('share.request.answer') && isMine(r.providerMemberId, r.provider?.code)) out.add('answer');
    if (external && can('share.request.review')) out.add('answer');
  }
  if (r.state === 'core_approval' && can('share.request.review')) out.add('core-approval');
  const ownRequest = can('share.request.create') && isMine(r.consumerMemberId, r.consumer?.code);
  if ((OPEN_STATES.includes(r.state) || r.state === 'returned') && ownRequest) out.add('withdraw');
  if (r.state === 'returned' && ownRequest) out.add('resubmit');
  return out;
}

/** Upstream providers (province, national ministries) answer outside the platform; the bureau records it. */
export function isExternal(r: ShareRequest): boolean {
  return !!r.provider?.external || r.providerLevel === 'province' || r.providerLevel === 'national' || r.currentStep === 'upstream';
}

export function RequestActions({ request: r }: { request: ShareRequest }) {
  const { t } = useTranslation();
  const allowed = useRequestActions(r);
  const [ask, setAsk] = useState<Op | null>(null);
  const [form] = Form.useForm<DecisionValues>();
  const external = isExternal(r);
  const resource = useQuery({
    queryKey: ['share', 'resource', r.resourceId],
    queryFn: () => api.get<ResourceOption>(`/api/share/resources/${r.resourceId}`),
    enabled: ask === 'approve' && !!r.resourceId,
  });
  const a = 'console.share.ex.act';

  const act = useSave(
    ({ path, body }: { path: 'compliance' | 'answer' | 'core-approval' | 'withdraw' | 'resubmit'; body: Record<string, unknown> }) => api.post<ShareRequest>(`/api/share/requests/${r.id}/${path}`, body),
    {
      refresh: 'share',
      ok: (_, v) => t(`${a}.done.${v.path}`),
      then: () => setAsk(null),
    },
  );

  function submit(v: DecisionValues) {
    if (!ask) return;
    const reason = v.reason?.trim() ?? '';
    if (ask === 'pass' || ask === 'return') return act.mutate({ path: 'compliance', body: { decision: ask, reason, ...(ask === 'pass' && v.providerMemberId ? { providerMemberId: v.providerMemberId } : {}) } });
    if (ask === 'coreApprove' || ask === 'coreRefuse') return act.mutate({ path: 'core-approval', body: { decision: ask === 'coreApprove' ? 'approve' : 'refuse', reason } });
    const body: Record<string, unknown> = { decision: ask, reason };
    if (ask === 'approve') {
      const fields = v.fields ?? [];
      body.fields = fields;
      const clear = (v.clearFields ?? []).filter((f) => fields.includes(f));
      if (clear.length) body.clearFields = clear;
      if (v.filterColumn && v.filterValue?.trim()) body.rowFilter = [{ column: v.filterColumn, equals: v.filterValue.trim() }];
      if (v.quotaPerDay) body.quotaPerDay = v.quotaPerDay;
      if (v.ratePerMinute) body.ratePerMinute = v.ratePerMinute;
      if (v.expiresAt) body.expiresAt = v.expiresAt.endOf('day').toISOString();
    } else {
      body.fields = [];
    }
    if (external && v.recordedName?.trim()) {
      body.recordedFrom = { name: v.recordedName.trim(), organisation: v.recordedOrg?.trim() || undefined, answeredAt: (v.recordedAt ?? dayjs()).toISOString() };
    }
    act.mutate({ path: 'answer', body });
  }

  if (allowed.size === 0) return null;
  const reasonRequired = ask === 'refuse' || ask === 'return' || ask === 'coreRefuse';
  const defaultReason = ask === 'pass' ? t(`${a}.passDefault`) : ask === 'approve' ? t(`${a}.approveDefault`) : undefined;
  const items = resource.data?.items ?? [];
  const personal = items.filter((it) => it.personal && r.fields.includes(it.name));
  const core = (resource.data?.grade ?? r.resource?.grade) === 'core';
  return (
    <>
      <Space wrap className="exchange-actions" data-testid="request-actions">
        {allowed.has('compliance') && (
          <>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setAsk('pass')} data-testid="compliance-pass">
              {t(`${a}.pass`)}
            </Button>
            <Button danger icon={<RollbackOutlined />} onClick={() => setAsk('return')} data-testid="compliance-return">
              {t(`${a}.return`)}
            </Button>
          </>
        )}
        {allowed.has('answer') && (
          <>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setAsk('approve')} data-testid="answer-approve">
              {t(`${a}.approve`)}
            </Button>
            <Button danger icon={<CloseOutlined />} onClick={() => setAsk('refuse')} data-testid="answer-refuse">
              {t(`${a}.refuse`)}
            </Button>
          </>
        )}
        {allowed.has('core-approval') && (
          <>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setAsk('coreApprove')} data-testid="core-approve">
              {t(`${a}.coreApprove`)}
            </Button>
            <Button danger icon={<CloseOutlined />} onClick={() => setAsk('coreRefuse')} data-testid="core-refuse">
              {t(`${a}.coreRefuse`)}
            </Button>
          </>
        )}
        {allowed.has('resubmit') && (
          <Button type="primary" icon={<RedoOutlined />} loading={act.isPending && act.variables?.path === 'resubmit'} onClick={() => act.mutate({ path: 'resubmit', body: {} })} data-testid="request-resubmit">
            {t(`${a}.resubmit`)}
          </Button>
        )}
        {allowed.has('withdraw') && (
          <Popconfirm title={t(`${a}.withdrawConfirm`)} okButtonProps={{ danger: true }} onConfirm={() => act.mutate({ path: 'withdraw', body: {} })}>
            <Button icon={<StopOutlined />} loading={act.isPending && act.variables?.path === 'withdraw'} data-testid="request-withdraw">
              {t(`${a}.withdraw`)}
            </Button>
          </Popconfirm>
        )}
      </Space>
      <Modal
        open={!!ask}
        title={ask ? t(`${a}.${ask}Title`) : ''}
        onCancel={() => setAsk(null)}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        width={ask === 'approve' ? 720 : 520}
        okButtonProps={{ danger: reasonRequired, ...({ 'data-testid': 'decision-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Form<DecisionValues>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={{ reason: defaultReason, fields: r.fields, quotaPerDay: 10000, ratePerMinute: 600, expiresAt: dayjs().add(1, 'year') }}
        >
          {ask === 'pass' && r.kind === 'demand' && !r.providerMemberId && (
            <Form.Item name="providerMemberId" label={t(`${a}.routeTo`)} rules={[{ required: true, message: t(`${a}.routeToRequired`) }]}>
              <RemoteSelect<MemberRef> queryKey="share" path="/api/share/members" limit={30} placeholder={t(`${a}.routeTo`)} toOption={(m) => ({ value: m.id, label: m.name ?? m.code ?? m.id, item: m })} />
            </Form.Item>
          )}
          {ask === 'approve' && (
            <>
              <Form.Item name="fields" label={t(`${a}.approvedFields`)} rules={[{ required: true, type: 'array', min: 1, message: t('console.share.ex.form.fieldsRequired') }]}>
                <Checkbox.Group data-testid="approve-fields" className="exchange-fields">
                  {r.fields.map((f) => {
                    const it = items.find((x) => x.name === f);
                    return (
                      <Checkbox key={f} value={f}>
                        {it?.label ?? f} <code className="muted-code">{f}</code>
                      </Checkbox>
                    );
                  })}
                </Checkbox.Group>
              </Form.Item>
              {personal.length > 0 && (
                <Form.Item name="clearFields" label={t(`${a}.clearFields`)} extra={core ? t(`${a}.clearFieldsCore`) : t(`${a}.clearFieldsHint`)}>
                  <Checkbox.Group disabled={core} options={personal.map((it) => ({ value: it.name, label: `${it.label}（${it.name}）` }))} />
                </Form.Item>
              )}
              <Form.Item label={t(`${a}.filterColumn`)} extra={t(`${a}.filterHint`)}>
                <div className="exchange-filter-row">
                  <Form.Item name="filterColumn" noStyle>
                    <Select allowClear style={{ width: 240 }} placeholder={t(`${a}.filterColumn`)} options={items.map((it) => ({ value: it.name, label: `${it.label}（${it.name}）` }))} />
                  </Form.Item>
                  <Form.Item name="filterValue" noStyle>
                    <Input style={{ width: 200 }} placeholder={t(`${a}.filterValue`)} />
                  </Form.Item>
                </div>
              </Form.Item>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="quotaPerDay" label={t(`${a}.quota`)}>
                    <InputNumber min={1} max={100_000_000} className="full-width" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="ratePerMinute" label={t(`${a}.rate`)}>
                    <InputNumber min={1} max={1_000_000} className="full-width" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="expiresAt" label={t(`${a}.expires`)}>
                    <DatePicker className="full-width" disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
                  </Form.Item>
                </Col>
              </Row>
            </>
          )}
          {(ask === 'approve' || ask === 'refuse') && external && (
            <>
              <Alert type="info" showIcon className="exchange-form-alert" title={t(`${a}.externalNote`)} />
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="recordedName" label={t(`${a}.recordedName`)} rules={[{ required: true, whitespace: true, message: t(`${a}.reasonRequired`) }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="recordedOrg" label={t(`${a}.recordedOrg`)}>
                    <Input maxLength={200} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="recordedAt" label={t(`${a}.recordedAt`)}>
                    <DatePicker showTime className="full-width" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
                  </Form.Item>
                </Col>
              </Row>
            </>
          )}
          <Form.Item
            name="reason"
            label={t(`${a}.reason`)}
            rules={reasonRequired ? [{ required: true, whitespace: true, message: ask === 'refuse' ? t(`${a}.refuseReasonRequired`) : t(`${a}.reasonRequired`) }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="decision-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
