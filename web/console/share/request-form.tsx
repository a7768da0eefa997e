// The "new request" dialog: a catalogued resource (searchable, its data items as checkboxes) or a
// demand for data not in the catalogue; the consumer system of one's own member, scenario, purpose and
// legal basis.
import { useState } from 'react';
import { Alert, Checkbox, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import { FormModal } from '../components/FormModal';
import { RemoteSelect } from '../components/RemoteSelect';
import { useSave } from '../hooks';
import { GradeTag, useMyMember } from './exchange-common';
import type { MemberRef, ResourceOption, ShareRequest, SubsystemRef } from './exchange-types';

interface Values {
  kind: 'resource' | 'demand';
  resourceId?: string;
  demandTitle?: string;
  demandDescription?: string;
  providerMemberId?: string;
  consumerSubsystemId: string;
  scenario: string;
  fields?: string[];
  demandFields?: string;
  purpose: string;
  legalBasis: string;
}

function toBody(v: Values): Record<string, unknown> {
  const common = { consumerSubsystemId: v.consumerSubsystemId, scenario: v.scenario.trim(), purpose: v.purpose.trim(), legalBasis: v.legalBasis.trim() };
  if (v.kind === 'resource') return { kind: 'resource', resourceId: v.resourceId, fields: v.fields ?? [], ...common };
  const fields = (v.demandFields ?? '')
    .split(/[\n,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    kind: 'demand',
    demandTitle: v.demandTitle?.trim(),
    demandDescription: v.demandDescription?.trim() || undefined,
    providerMemberId: v.providerMemberId || undefined,
    fields,
    ...common,
  };
}

export function NewRequestModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'resource';
  const resourceId = Form.useWatch('resourceId', form);
  const [resourceTouched, setResourceTouched] = useState(0);
  const mine = useMyMember();

  const resource = useQuery({
    queryKey: ['share', 'resource', resourceId],
    queryFn: () => api.get<ResourceOption>(`/api/share/resources/${resourceId}`),
    enabled: open && !!resourceId,
  });
  const subsystems = useQuery({
    queryKey: ['share', 'subsystems', mine.data?.id],
    queryFn: () => api.get<Page<SubsystemRef>>('/api/share/subsystems', { memberId: mine.data!.id, limit: 100 }),
    enabled: open && !!mine.data?.id,
  });

  const save = useSave((v: Values) => api.post<ShareRequest>('/api/share/requests', toBody(v)), {
    refresh: 'share',
    ok: () => t('console.share.ex.form.created'),
    then: (r) => {
      onClose();
      if (r?.id) nav(`/share/requests/${r.id}`);
    },
  });

  const items = resource.data?.items ?? [];
  const s = 'console.share.ex.form';
  return (
    <FormModal<Values> open={open} title={t(`${s}.title`)} form={form} onClose={onClose} save={save} width={720} initialValues={{ kind: 'resource' }} okTestId="request-submit">
      <Form.Item name="kind" label={t(`${s}.mode`)}>
        <Radio.Group
          optionType="button"
          data-testid="request-kind"
          options={[
            { value: 'resource', label: t(`${s}.modeResource`) },
            { value: 'demand', label: t(`${s}.modeDemand`) },
          ]}
        />
      </Form.Item>
      {kind === 'resource' ? (
        <>
          <Form.Item name="resourceId" label={t(`${s}.resource`)} rules={[{ required: true, message: t(`${s}.resourceRequired`) }]}>
            <RemoteSelect<ResourceOption>
              queryKey="share"
              path="/api/share/resources"
              params={{ state: 'published' }}
              limit={30}
              placeholder={t(`${s}.resourcePlaceholder`)}
              toOption={(r) => ({ value: r.id, label: `${r.name}（${r.code}）`, item: r })}
              optionRender={(o) => (
                <Space size={4}>
                  <span>{o.item?.name ?? o.label}</span>
                  <Typography.Text type="secondary" className="muted-code">
                    {o.item?.code}
                  </Typography.Text>
                  <GradeTag grade={o.item?.grade} />
                  <Typography.Text type="secondary">{o.item?.providerName}</Typography.Text>
                </Space>
              )}
              fetchOne={(id) => api.get<ResourceOption>(`/api/share/resources/${id}`)}
              onChange={(v) => {
                form.setFieldsValue({ resourceId: v, fields: [] });
                setResourceTouched((n) => n + 1);
              }}
            />
          </Form.Item>
          <Form.Item
            name="fields"
            label={t(`${s}.fields`)}
            rules={[{ required: true, type: 'array', min: 1, message: t(`${s}.fieldsRequired`) }]}
            extra={resourceId ? undefined : t(`${s}.chooseResourceFirst`)}
            key={resourceTouched}
          >
            <Checkbox.Group data-testid="request-fields" className="exchange-fields">
              {items.map((it) => (
                <Checkbox key={it.name} value={it.name}>
                  {it.label} <code className="muted-code">{it.name}</code>
                  {it.personal && (
                    <Tag color="orange" bordered={false} className="exchange-mini-tag">
                      {t(`${s}.personal`)}
                    </Tag>
                  )}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </>
      ) : (
        <>
          <Form.Item name="demandTitle" label={t(`${s}.demandTitle`)} rules={[{ required: true, whitespace: true, message: t(`${s}.demandTitleRequired`) }]}>
            <Input maxLength={200} data-testid="request-demand-title" />
          </Form.Item>
          <Form.Item name="demandDescription" label={t(`${s}.demandDescription`)}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t(`${s}.demandDescriptionHint`)} />
          </Form.Item>
          <Form.Item name="providerMemberId" label={t(`${s}.expectedProvider`)}>
            <RemoteSelect<MemberRef>
              queryKey="share"
              path="/api/share/members"
              limit={30}
              placeholder={t(`${s}.expectedProviderPlaceholder`)}
              toOption={(m) => ({ value: m.id, label: m.name ?? m.code ?? m.id, item: m })}
            />
          </Form.Item>
          <Form.Item name="demandFields" label={t(`${s}.fieldsDemand`)} extra={t(`${s}.fieldsDemandHint`)} rules={[{ required: true, whitespace: true, message: t(`${s}.fieldsRequired`) }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
          </Form.Item>
        </>
      )}
      <Form.Item name="consumerSubsystemId" label={t(`${s}.subsystem`)} rules={[{ required: true, message: t(`${s}.subsystemRequired`) }]}>
        <Select
          placeholder={t(`${s}.subsystemPlaceholder`)}
          loading={subsystems.isFetching || mine.isFetching}
          data-testid="request-subsystem"
          options={(subsystems.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.name}（${x.code}）` }))}
        />
      </Form.Item>
      {mine.isSuccess && !mine.data && <Alert type="warning" showIcon className="exchange-form-alert" title={t(`${s}.noMember`)} />}
      <Form.Item name="scenario" label={t(`${s}.scenario`)} rules={[{ required: true, whitespace: true, message: t(`${s}.scenarioRequired`) }]}>
        <Input maxLength={200} placeholder={t(`${s}.scenarioPlaceholder`)} data-testid="request-scenario" />
      </Form.Item>
      <Form.Item name="purpose" label={t(`${s}.purpose`)} rules={[{ required: true, whitespace: true, message: t(`${s}.purposeRequired`) }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} data-testid="request-purpose" />
      </Form.Item>
      <Form.Item name="legalBasis" label={t(`${s}.legalBasis`)} rules={[{ required: true, whitespace: true, message: t(`${s}.legalBasisRequired`) }]}>
        <Input maxLength={500} placeholder={t(`${s}.legalBasisPlaceholder`)} data-testid="request-legal-basis" />
      </Form.Item>
    </FormModal>
  );
}
