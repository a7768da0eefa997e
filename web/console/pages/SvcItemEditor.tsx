// One service item: its definition (basics, materials, form, fees), the changes waiting to be published,
// publish / retire / delete, the version history and, for automatic approval, the rule.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Badge, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Result, Row, Select, Space, Spin, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, isStatus } from '../../shared/api';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useCan, useLocale, useNotify } from '../hooks';
import { AutoRuleEditor } from '../svc/AutoRuleEditor';
import { ModeTag, StatusTag, useZones } from '../svc/common';
import { cleanForm, FormFieldsEditor, FormPreview } from '../svc/FormFieldsEditor';
import { MaterialsEditor } from '../svc/MaterialsEditor';
import { APPLICANT_TYPES, DEFINITION_KEYS, HANDLING_MODES, ITEM_KINDS, type Item, type ItemDefinition, type ItemVersion } from '../svc/types';

function definitionOf(i: ItemDefinition): ItemDefinition {
  return Object.fromEntries(DEFINITION_KEYS.map((k) => [k, i[k]])) as unknown as ItemDefinition;
}

/** What the editor starts from: a draft as it is, a published item with its pending changes applied. */
function baseOf(item: Item): ItemDefinition {
  const def = definitionOf(item);
  return item.status === 'draft' ? def : { ...def, ...(item.pending ?? {}) };
}

const KEY_LABELS: Record<keyof ItemDefinition, string> = {
  name: 'console.svc.c.name',
  kind: 'console.svc.c.kind',
  applicantType: 'console.svc.c.applicant',
  legalDays: 'console.svc.editor.legalDays',
  promisedDays: 'console.svc.editor.promisedDays',
  mode: 'console.svc.c.mode',
  description: 'console.svc.editor.description',
  keywords: 'console.svc.editor.keywords',
  materials: 'console.svc.editor.tabMaterials',
  form: 'console.svc.editor.tabForm',
  fees: 'console.svc.editor.tabFees',
  legalBasis: 'console.svc.editor.legalBasis',
  zones: 'console.svc.c.zones',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A short human summary of one definition value, for the pending-changes table. */
function summary(key: keyof ItemDefinition, v: unknown, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (v === undefined || v === null) return '—';
  switch (key) {
    case 'kind':
      return t(`console.svc.kind.${String(v)}`);
    case 'applicantType':
      return t(`console.svc.applicant.${String(v)}`);
    case 'mode':
      return t(`console.svc.mode.${String(v)}`);
    case 'form':
      return (v as ItemDefinition['form']).fields.map((f) => `${f.label.zh}（${f.key}）`).join('、') || '—';
    case 'materials':
      return (v as ItemDefinition['materials']).map((m) => m.name).join('、') || '—';
    case 'fees': {
      const f = v as ItemDefinition['fees'];
      return f.free ? t('console.svc.editor.free') : f.items.map((x) => `${x.name} ${x.amountYuan}`).join('、');
    }
    case 'keywords':
    case 'zones':
      return (v as string[]).join('、') || '—';
    default:
      return String(v) || '—';
  }
}

function FeesEditor({ value, onChange, readOnly }: { value: ItemDefinition['fees']; onChange: (f: ItemDefinition['fees']) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const setItem = (i: number, patch: Partial<ItemDefinition['fees']['items'][number]>) => onChange({ ...value, items: value.items.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  return (
    <Space orientation="vertical" className="full-width">
      <Space>
        <Switch checked={value.free} disabled={readOnly} onChange={(free) => onChange({ free, items: free ? [] : value.items })} /> {t('console.svc.editor.free')}
      </Space>
      {!value.free && (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="_i"
            dataSource={value.items.map((x, i) => ({ ...x, _i: i }))}
            columns={[
              { title: t('console.svc.editor.feeName'), key: 'name', render: (_, x) => <Input value={x.name} disabled={readOnly} onChange={(e) => setItem(x._i, { name: e.target.value })} /> },
              { title: t('console.svc.editor.feeAmount'), key: 'amount', width: 140, render: (_, x) => <InputNumber min={0} value={x.amountYuan} disabled={readOnly} onChange={(n) => setItem(x._i, { amountYuan: n ?? 0 })} /> },
              { title: t('console.svc.editor.feeBasis'), key: 'basis', render: (_, x) => <Input value={x.basis} disabled={readOnly} onChange={(e) => setItem(x._i, { basis: e.target.value })} /> },
              {
                title: '',
                key: 'rm',
                width: 48,
                render: (_, x) => <Button type="text" danger icon={<DeleteOutlined />} disabled={readOnly} onClick={() => onChange({ ...value, items: value.items.filter((_, j) => j !== x._i) })} aria-label={t('console.svc.c.remove')} />,
              },
            ]}
          />
          {!readOnly && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange({ ...value, items: [...value.items, { name: '', amountYuan: 0, basis: '' }] })}>
              {t('console.svc.editor.addFee')}
            </Button>
          )}
        </>
      )}
    </Space>
  );
}

function VersionModal({ itemId, version, onClose }: { itemId: string; version: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const v = useQuery({ queryKey: ['svc-item-version', itemId, version], queryFn: () => api.get<ItemVersion>(`/api/svc/items/${itemId}/versions/${version}`), enabled: version !== null, staleTime: Infinity });
  return (
    <Modal open={version !== null} onCancel={onClose} footer={null} width={860} title={t('console.svc.editor.versionN', { v: version })} destroyOnHidden>
      <QueryError error={v.error} onRetry={() => void v.refetch()} />
      {v.isLoading && <Spin />}
      {v.data && (
        <Row gutter={16}>
          <Col span={12}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('console.svc.c.name')}>{v.data.name}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.editor.publishedAt')}>{formatDateTime(v.data.publishedAt, locale, false)}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.c.kind')}>{t(`console.svc.kind.${v.data.kind}`)}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.c.mode')}>{t(`console.svc.mode.${v.data.mode}`)}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.c.days')}>{t('console.svc.c.daysShort', { legal: v.data.legalDays, promised: v.data.promisedDays })}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.editor.tabMaterials')}>{summary('materials', v.data.materials, t)}</Descriptions.Item>
              <Descriptions.Item label={t('console.svc.editor.tabFees')}>{summary('fees', v.data.fees, t)}</Descriptions.Item>
            </Descriptions>
          </Col>
          <Col span={12}>
            <Card size="small" title={t('console.svc.editor.tabForm')}>
              <FormPreview form={v.data.form} />
            </Card>
          </Col>
        </Row>
      )}
    </Modal>
  );
}

export default function SvcItemEditor() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const nav = useNavigate();
  const notify = useNotify();
  const qc = useQueryClient();
  const zones = useZones();
  const item = useQuery({ queryKey: ['svc-items', 'one', id], queryFn: () => api.get<Item>(`/api/svc/items/${id}`) });
  const base = useMemo(() => (item.data ? baseOf(item.data) : null), [item.data]);
  const [working, setWorking] = useState<ItemDefinition | null>(null);
  const [tab, setTab] = useState('basic');
  const [busy, setBusy] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [retiring, setRetiring] = useState(false);
  const [retireReason, setRetireReason] = useState('');
  const [viewVersion, setViewVersion] = useState<number | null>(null);

  useEffect(() => {
    if (base) setWorking(base);
  }, [base]);

  if (item.error && isStatus(item.error, 404)) return <Result status="404" title={t('errors.notFound')} extra={<Button onClick={() => nav('/svc/items')}>{t('console.svc.editor.back')}</Button>} />;
  if (item.error) return <QueryError error={item.error} onRetry={() => void item.refetch()} />;
  if (!item.data || !working || !base) return <Spin size="large" className="page-spin" />;

  const it = item.data;
  const canWrite = can('svc.item.write');
  const canPublish = can('svc.item.publish');
  const readOnly = !canWrite;
  const changedKeys = DEFINITION_KEYS.filter((k) => !same(working[k], base[k]));
  const dirty = changedKeys.length > 0;
  const pendingKeys = it.status === 'draft' ? [] : (Object.keys(it.pending ?? {}) as (keyof ItemDefinition)[]);
  const nextVersion = (it.version ?? 0) + 1;
  const publishable = it.status === 'draft' || it.status === 'retired' || pendingKeys.length > 0;
  const set = <K extends keyof ItemDefinition>(k: K, v: ItemDefinition[K]) => setWorking({ ...working, [k]: v });

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['svc-items'] });
  };
  const run = async (key: string, send: () => Promise<unknown>, ok: () => string, after?: () => void) => {
    setBusy(key);
    setSaveError(null);
    try {
      await send();
      notify.ok(ok());
      refresh();
      after?.();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) setSaveError(e);
      notify.fail(e);
    } finally {
      setBusy(null);
    }
  };
  const save = () => {
    const patch: Partial<ItemDefinition> = Object.fromEntries(changedKeys.map((k) => [k, k === 'form' ? cleanForm(working.form) : working[k]]));
    void run('save', () => api.patch<Item>(`/api/svc/items/${id}`, patch), () => (it.status === 'draft' ? t('console.svc.editor.saved') : t('console.svc.editor.savedPending')));
  };
  const publish = () => void run('publish', () => api.post<Item>(`/api/svc/items/${id}/publish`), () => t('console.svc.editor.published', { v: it.status === 'retired' && !pendingKeys.length ? it.version : nextVersion }));
  const retire = () =>
    void run('retire', () => api.post<Item>(`/api/svc/items/${id}/retire`, { reason: retireReason.trim() }), () => t('console.svc.editor.retired'), () => {
      setRetiring(false);
      setRetireReason('');
    });
  const remove = () => void run('remove', () => api.del(`/api/svc/items/${id}`), () => t('console.svc.editor.removed'), () => nav('/svc/items'));

  const fieldProblems = saveError instanceof ApiError ? (saveError.problem.errors ?? []) : [];

  const basicTab = (
    <Form layout="vertical" disabled={readOnly} className="editor-form">
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label={t('console.svc.c.name')} required>
            <Input value={working.name} onChange={(e) => set('name', e.target.value)} maxLength={100} data-testid="edit-name" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('console.svc.c.kind')} required>
            <Select value={working.kind} onChange={(v) => set('kind', v)} options={ITEM_KINDS.map((k) => ({ value: k, label: t(`console.svc.kind.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('console.svc.c.applicant')} required>
            <Select value={working.applicantType} onChange={(v) => set('applicantType', v)} options={APPLICANT_TYPES.map((k) => ({ value: k, label: t(`console.svc.applicant.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('console.svc.c.mode')} required>
            <Select value={working.mode} onChange={(v) => set('mode', v)} options={HANDLING_MODES.map((k) => ({ value: k, label: t(`console.svc.mode.${k}`) }))} data-testid="edit-mode" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item label={t('console.svc.editor.legalDays')} required>
            <InputNumber className="full-width" min={0} max={3650} precision={0} value={working.legalDays} onChange={(n) => set('legalDays', n ?? 0)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            label={t('console.svc.editor.promisedDays')}
            required
            validateStatus={working.promisedDays > working.legalDays ? 'error' : undefined}
            help={working.promisedDays > working.legalDays ? t('console.svc.editor.promisedTooLong') : undefined}
          >
            <InputNumber className="full-width" min={0} max={3650} precision={0} value={working.promisedDays} onChange={(n) => set('promisedDays', n ?? 0)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('console.svc.c.zones')}>
            <Select
              mode="multiple"
              value={working.zones}
              onChange={(v) => set('zones', v)}
              showSearch={{ optionFilterProp: 'label' }}
              options={(zones.data ?? []).map((z) => ({ value: z.code, label: locale === 'en' ? z.nameEn : z.name }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label={t('console.svc.editor.keywords')} extra={t('console.svc.editor.keywordsHelp')}>
            <Select mode="tags" value={working.keywords} onChange={(v) => set('keywords', v)} open={false} tokenSeparators={[',', '，', '、']} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item label={t('console.svc.editor.description')}>
            <Input.TextArea value={working.description} onChange={(e) => set('description', e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} showCount />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );

  const tabs = [
    { key: 'basic', label: t('console.svc.editor.tabBasic'), children: basicTab },
    { key: 'materials', label: t('console.svc.editor.tabMaterials'), children: <MaterialsEditor value={working.materials} onChange={(m) => set('materials', m)} readOnly={readOnly} /> },
    { key: 'form', label: <span data-testid="tab-form">{t('console.svc.editor.tabForm')}</span>, children: <FormFieldsEditor value={working.form} onChange={(f) => set('form', f)} readOnly={readOnly} /> },
    {
      key: 'fees',
      label: t('console.svc.editor.tabFees'),
      children: (
        <Space orientation="vertical" size={16} className="full-width">
          <FeesEditor value={working.fees} onChange={(f) => set('fees', f)} readOnly={readOnly} />
          <div>
            <div className="mini-label">{t('console.svc.editor.legalBasis')}</div>
            <Input.TextArea value={working.legalBasis} disabled={readOnly} onChange={(e) => set('legalBasis', e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} maxLength={2000} showCount />
          </div>
        </Space>
      ),
    },
    ...(it.status === 'draft'
      ? []
      : [
          {
            key: 'pending',
            label: (
              <Badge count={pendingKeys.length} size="small" offset={[8, 0]}>
                {t('console.svc.editor.tabPending')}
              </Badge>
            ),
            children: pendingKeys.length ? (
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                data-testid="pending-table"
                dataSource={pendingKeys.map((k) => ({ key: k, published: summary(k, it[k], t), pending: summary(k, it.pending?.[k], t) }))}
                columns={[
                  { title: t('console.svc.editor.field'), dataIndex: 'key', width: 160, render: (k: keyof ItemDefinition) => t(KEY_LABELS[k]) },
                  { title: t('console.svc.editor.publishedValue'), dataIndex: 'published', render: (v: string) => <span className="diff-old">{v}</span> },
                  { title: t('console.svc.editor.pendingValue'), dataIndex: 'pending', render: (v: string) => <span className="diff-new">{v}</span> },
                ]}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.editor.noPending')} />
            ),
          },
        ]),
    {
      key: 'versions',
      label: <span data-testid="tab-versions">{t('console.svc.editor.tabVersions')}</span>,
      children: it.versions.length ? (
        <Table
          size="small"
          rowKey="version"
          pagination={false}
          data-testid="versions-table"
          dataSource={[...it.versions].reverse()}
          columns={[
            {
              title: t('console.svc.c.version'),
              dataIndex: 'version',
              width: 160,
              render: (v: number) => (
                <Space>
                  <strong>{t('console.svc.editor.versionN', { v })}</strong>
                  {v === it.version && <Tag color="success">{t('console.svc.editor.current')}</Tag>}
                </Space>
              ),
            },
            { title: t('console.svc.editor.publishedAt'), dataIndex: 'publishedAt', render: (v: string) => formatDateTime(v, locale) },
            { title: '', key: 'view', width: 90, render: (_, r) => <Button size="small" type="link" onClick={() => setViewVersion(r.version)}>{t('console.svc.c.view')}</Button> },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.editor.noVersions')} />
      ),
    },
    ...(working.mode === 'auto' || it.mode === 'auto' ? [{ key: 'rule', label: t('console.svc.editor.tabRule'), children: <AutoRuleEditor itemId={it.id} canWrite={canWrite} /> }] : []),
  ];

  return (
    <div className="page">
      <Card variant="borderless" className="section-card editor-head">
        <div className="editor-title-row">
          <Space orientation="vertical" size={2}>
            <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => nav('/svc/items')} className="back-link">
              {t('console.svc.editor.back')}
            </Button>
            <Space size={8} wrap>
              <Typography.Title level={4} className="editor-title" data-testid="editor-title">
                {it.name}
              </Typography.Title>
              <StatusTag status={it.status} />
              {it.version !== null && <Tag data-testid="current-version">{t('console.svc.editor.versionBadge', { v: it.version })}</Tag>}
              <ModeTag mode={it.mode} />
              {pendingKeys.length > 0 && <Tag color="orange">{t('console.svc.c.pending')}</Tag>}
            </Space>
            <Typography.Text type="secondary">{t('console.svc.editor.ownerLine', { owner: it.owner?.name ?? '—', code: it.code })}</Typography.Text>
          </Space>
          <Space wrap>
            {dirty && <Typography.Text type="warning">{t('console.svc.editor.unsaved')}</Typography.Text>}
            {dirty && <Button onClick={() => setWorking(base)}>{t('console.svc.editor.discard')}</Button>}
            {canWrite && (
              <Button type={dirty ? 'primary' : 'default'} disabled={!dirty} loading={busy === 'save'} onClick={save} data-testid="item-save">
                {t('console.svc.editor.save')}
              </Button>
            )}
            {canPublish && (
              <Tooltip title={dirty ? t('console.svc.editor.saveFirst') : undefined}>
                <Popconfirm title={t('console.svc.editor.publishConfirm', { v: nextVersion })} onConfirm={publish} disabled={dirty || !publishable}>
                  <Button type="primary" disabled={dirty || !publishable} loading={busy === 'publish'} data-testid="item-publish">
                    {t('console.svc.editor.publish')}
                  </Button>
                </Popconfirm>
              </Tooltip>
            )}
            {canPublish && it.status === 'published' && (
              <Button danger onClick={() => setRetiring(true)} data-testid="item-retire">
                {t('console.svc.editor.retire')}
              </Button>
            )}
            {canWrite && it.version === null && (
              <Popconfirm title={t('console.svc.editor.removeConfirm')} onConfirm={remove} okButtonProps={{ danger: true }}>
                <Button danger icon={<DeleteOutlined />} loading={busy === 'remove'}>
                  {t('console.svc.editor.remove')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </div>
        {readOnly && <Alert type="info" showIcon title={t('console.svc.editor.readOnly')} className="editor-alert" />}
        {pendingKeys.length > 0 && <Alert type="warning" showIcon title={t('console.svc.editor.pendingNote', { v: nextVersion })} className="editor-alert" />}
        {fieldProblems.length > 0 && (
          <Alert
            type="error"
            showIcon
            className="editor-alert"
            title={t('console.svc.editor.validationFailed')}
            description={
              <ul className="problem-list" data-testid="save-problems">
                {fieldProblems.map((p, i) => (
                  <li key={i}>
                    <code>{p.path.replace(/^\/body\//, '')}</code> {p.message}
                  </li>
                ))}
              </ul>
            }
            closable={{ onClose: () => setSaveError(null) }}
          />
        )}
      </Card>
      <Card variant="borderless" className="section-card">
        <Tabs activeKey={tab} onChange={setTab} items={tabs} />
      </Card>
      <VersionModal itemId={it.id} version={viewVersion} onClose={() => setViewVersion(null)} />
      <Modal
        open={retiring}
        title={t('console.svc.editor.retireTitle')}
        onCancel={() => setRetiring(false)}
        onOk={retire}
        okButtonProps={{ danger: true, disabled: retireReason.trim().length < 2 }}
        confirmLoading={busy === 'retire'}
        okText={t('console.svc.editor.retire')}
      >
        <Typography.Paragraph type="secondary">{t('console.svc.editor.retireHelp')}</Typography.Paragraph>
        <Input.TextArea value={retireReason} onChange={(e) => setRetireReason(e.target.value)} placeholder={t('console.svc.c.reason')} maxLength={500} autoSize={{ minRows: 2 }} />
      </Modal>
      {saveError !== null && fieldProblems.length === 0 && <Typography.Text type="danger">{errorMessage(saveError, t)}</Typography.Text>}
    </div>
  );
}
