// Scanning terminals of the city code: register (the API key is shown once), deactivate, new key;
// the scenario policies (what a terminal is told on a pass); the code's validity and clock skew.
import { useState } from 'react';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ItemOf, ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { ConfirmRowButton, DataTable, FilterSelect, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { OrgSelect } from '../components/OrgSelect';
import { QueryError } from '../components/QueryError';
import { ShowOnceModal } from '../components/ShowOnceModal';
import { useCan, useLocale, useSave } from '../hooks';

const k = 'console.code';
const SCENARIOS = ['bus', 'hospital', 'canteen', 'hall'] as const;
const HEALTH = ['green', 'yellow', 'red'] as const;

type Terminal = ItemOf<'/api/code/terminals'>;
type Policies = ResponseOf<'/api/code/policies'>;
type Policy = Policies['items'][number];
type Settings = ResponseOf<'/api/code/settings'>;
type NewTerminal = { name: string; place: string; district?: string; scenario: string; ownerOrgId?: string };

function TerminalsTab() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [scenario, setScenario] = useState<string | undefined>();
  const [state, setState] = useState<'active' | 'inactive' | undefined>();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [form] = Form.useForm<NewTerminal>();
  const list = usePagedList<Terminal>(['code', 'terminals'], '/api/code/terminals', { scenario, active: state === undefined ? undefined : state === 'active' });
  const create = useSave((v: NewTerminal) => api.post<ResponseOf<'/api/code/terminals', 'post'>>('/api/code/terminals', v), {
    refresh: 'code',
    then: (r) => {
      setCreating(false);
      setShown({ name: r.name, key: r.key });
    },
  });
  const deactivate = useSave((id: string) => api.patch(`/api/code/terminals/${id}`, { active: false }), { refresh: 'code', ok: () => t(`${k}.terminals.deactivated`) });
  const rekey = useSave((id: string) => api.post<ResponseOf<'/api/code/terminals/{id}/key', 'post'>>(`/api/code/terminals/${id}/key`), { refresh: 'code', then: (r) => setShown({ name: r.name, key: r.key }) });
  const scenarioOptions = SCENARIOS.map((s) => ({ value: s, label: t(`${k}.scenario.${s}`) }));
  return (
    <>
      <Toolbar create={{ label: t(`${k}.terminals.create`), onClick: () => setCreating(true), testId: 'terminal-create' }}>
        <FilterSelect placeholder={t(`${k}.terminals.allScenarios`)} value={scenario} onChange={setScenario} options={scenarioOptions} width={150} />
        <FilterSelect<'active' | 'inactive'>
          placeholder={t(`${k}.terminals.allStates`)}
          value={state}
          onChange={setState}
          options={[
            { value: 'active', label: t(`${k}.terminals.active`) },
            { value: 'inactive', label: t(`${k}.terminals.inactive`) },
          ]}
          width={130}
        />
        <a href="/code/terminal" target="_blank" rel="noreferrer">
          {t(`${k}.terminals.terminalPage`)} ↗
        </a>
      </Toolbar>
      <DataTable<Terminal>
        {...list}
        rowKey="id"
        size="middle"
        scroll={{ x: 900 }}
        columns={[
          { title: t(`${k}.terminals.name`), dataIndex: 'name', render: (v: string, r) => <Space direction="vertical" size={0}><strong>{v}</strong><Typography.Text type="secondary">{[r.district, r.place].filter(Boolean).join(' · ')}</Typography.Text></Space> },
          { title: t(`${k}.terminals.scenario`), dataIndex: 'scenario', width: 110, render: (v: string) => <Tag color="blue">{t(`${k}.scenario.${v}`, { defaultValue: v })}</Tag> },
          { title: t(`${k}.terminals.owner`), dataIndex: 'ownerOrgName', width: 160 },
          { title: t(`${k}.terminals.state`), dataIndex: 'active', width: 100, render: (v: boolean) => (v ? <Tag color="success">{t(`${k}.terminals.active`)}</Tag> : <Tag>{t(`${k}.terminals.inactive`)}</Tag>) },
          { title: t(`${k}.terminals.key`), dataIndex: 'keyPrefix', width: 130, render: (v: string | null) => (v ? <code>dqk_{v}…</code> : '—') },
          { title: t(`${k}.terminals.createdAt`), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale) },
          ...actionsColumn<Terminal>(
            t,
            (r) => (
              <Space size={0}>
                {r.active && (
                  <ConfirmRowButton title={t(`${k}.terminals.deactivateConfirm`)} onConfirm={() => deactivate.mutate(r.id)}>
                    {t(`${k}.terminals.deactivate`)}
                  </ConfirmRowButton>
                )}
                <ConfirmRowButton title={t(`${k}.terminals.newKeyConfirm`)} dangerOk={false} onConfirm={() => rekey.mutate(r.id)}>
                  {t(`${k}.terminals.newKey`)}
                </ConfirmRowButton>
              </Space>
            ),
            { width: 170 },
          ),
        ]}
      />
      <FormModal<NewTerminal> open={creating} title={t(`${k}.terminals.create`)} form={form} onClose={() => setCreating(false)} save={create} okTestId="terminal-create-ok">
        <Form.Item name="name" label={t(`${k}.terminals.name`)} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="terminal-name" />
        </Form.Item>
        <Form.Item name="scenario" label={t(`${k}.terminals.scenario`)} rules={[{ required: true }]}>
          <Select options={scenarioOptions} data-testid="terminal-scenario" />
        </Form.Item>
        <Form.Item name="place" label={t(`${k}.terminals.place`)} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="district" label={t(`${k}.terminals.district`)} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="ownerOrgId" label={t(`${k}.terminals.owner`)} extra={t(`${k}.terminals.ownerHint`)}>
          <OrgSelect kinds={['department', 'district', 'subunit']} />
        </Form.Item>
      </FormModal>
      <ShowOnceModal
        open={!!shown}
        title={t(`${k}.terminals.keyTitle`)}
        note={t(`${k}.terminals.keyNote`)}
        fields={shown ? [{ label: shown.name, value: shown.key, secret: true }] : []}
        onClose={() => setShown(null)}
      />
    </>
  );
}

function PolicyCard({ p, fields, canEdit }: { p: Policy; fields: string[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [form] = Form.useForm<Pick<Policy, 'discloses' | 'requires' | 'refuseHealth'>>();
  const save = useSave((v: Pick<Policy, 'discloses' | 'requires' | 'refuseHealth'>) => api.put(`/api/code/policies/${p.scenario}`, v), { refresh: 'code', ok: () => t(`${k}.policies.saved`) });
  const fieldOptions = fields.map((f) => ({ value: f, label: t(`${k}.field.${f}`, { defaultValue: f }) }));
  return (
    <Card size="small" title={`${locale === 'en' ? p.nameEn : p.nameZh} (${p.scenario})`} data-testid={`policy-${p.scenario}`}>
      <Form form={form} layout="vertical" initialValues={p} onFinish={(v) => save.mutate(v)} disabled={!canEdit}>
        <Form.Item name="discloses" label={t(`${k}.policies.discloses`)}>
          <Checkbox.Group options={fieldOptions} />
        </Form.Item>
        <Form.Item name="requires" label={t(`${k}.policies.requires`)} extra={t(`${k}.policies.requiresHint`)}>
          <Checkbox.Group options={fieldOptions} />
        </Form.Item>
        <Form.Item name="refuseHealth" label={t(`${k}.policies.refuseHealth`)}>
          <Checkbox.Group options={HEALTH.map((h) => ({ value: h, label: t(`${k}.health.${h}`) }))} />
        </Form.Item>
        {canEdit && (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('action.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}

function PoliciesTab() {
  const can = useCan();
  const q = useQuery({ queryKey: ['code', 'policies'], queryFn: () => api.get<Policies>('/api/code/policies') });
  return (
    <>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {q.data?.items.map((p) => <PolicyCard key={`${p.scenario}-${p.discloses.join()}-${p.requires.join()}-${p.refuseHealth.join()}`} p={p} fields={q.data.fields} canEdit={can('code.terminal.manage')} />)}
      </Space>
    </>
  );
}

function SettingsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const q = useQuery({ queryKey: ['code', 'settings'], queryFn: () => api.get<Settings>('/api/code/settings') });
  const save = useSave((v: Settings) => api.put<Settings>('/api/code/settings', v), { refresh: 'code', ok: () => t(`${k}.settings.saved`) });
  const editable = can('code.keys.manage');
  return (
    <>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      {q.data && (
        <Form<Settings> layout="vertical" initialValues={q.data} onFinish={(v) => save.mutate(v)} disabled={!editable} style={{ maxWidth: 420 }}>
          <Form.Item name="validitySeconds" label={t(`${k}.settings.validity`)} rules={[{ required: true }]}>
            <InputNumber min={10} max={600} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="skewSeconds" label={t(`${k}.settings.skew`)} rules={[{ required: true }]}>
            <InputNumber min={0} max={900} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="issuerOrgCode" label={t(`${k}.settings.issuer`)} rules={[{ required: true, max: 50 }]}>
            <Input />
          </Form.Item>
          {editable && (
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('action.save')}
            </Button>
          )}
        </Form>
      )}
    </>
  );
}

export default function CodeTerminals() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t(`${k}.terminals.title`)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(`${k}.terminals.intro`)}</Typography.Paragraph>
      <Card variant="borderless" size="small">
        <Tabs
          destroyOnHidden
          items={[
            { key: 'terminals', label: t(`${k}.terminals.tabTerminals`), children: <TerminalsTab /> },
            { key: 'policies', label: t(`${k}.terminals.tabPolicies`), children: <PoliciesTab /> },
            { key: 'settings', label: t(`${k}.terminals.tabSettings`), children: <SettingsTab /> },
          ]}
        />
      </Card>
    </div>
  );
}

