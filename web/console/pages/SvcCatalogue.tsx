// The catalogue's structure, for the catalogue manager: "one thing" bundles (一件事), themed zones,
// the city items each district sub-hall handles, and the synonyms the search expands.
import { useState } from 'react';
import { Alert, Button, Card, Col, Drawer, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { QueryError } from '../components/QueryError';
import { ConfirmRowButton, RowButton, Toolbar, actionsColumn } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { useLocale, useNotify, useSave } from '../hooks';
import { ItemSelect, ModeTag, useHalls, useZones } from '../svc/common';
import { cleanForm, FormFieldsEditor } from '../svc/FormFieldsEditor';
import type { BundleDetail, BundleSummary, FormDefinition, Hall, HandlingMode, Item, ItemSummary, Synonym, Zone } from '../svc/types';

// ---- bundles -------------------------------------------------------------------------------------------

interface BundleDraft {
  code: string;
  name: string;
  description: string;
  zone: string | null;
  status: 'published' | 'retired';
  form: FormDefinition;
  items: { itemId: string; label: string; fieldMap: string }[];
}

const mapText = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {})
    .map(([a, b]) => `${a}=${b}`)
    .join('\n');
const parseMap = (s: string): Record<string, string> =>
  Object.fromEntries(
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.split('=').map((x) => x.trim()) as [string, string])
      .filter(([a, b]) => a && b),
  );

function BundleEditor({ draft, isNew, onClose }: { draft: BundleDraft; isNew: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const zones = useZones();
  const [d, setD] = useState(draft);
  const [adding, setAdding] = useState<string | undefined>();
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const save = useSave(
    () =>
      api.put('/api/svc/bundles', {
        code: d.code.trim(),
        name: d.name.trim(),
        description: d.description,
        zone: d.zone,
        status: d.status,
        form: cleanForm(d.form),
        items: d.items.map((i) => ({ itemId: i.itemId, fieldMap: parseMap(i.fieldMap) })),
      }),
    { refresh: 'svc-bundles', ok: () => t('console.svc.catalogue.bundleSaved'), then: onClose },
  );
  const addItem = (id: string | undefined) => {
    if (!id || d.items.some((i) => i.itemId === id)) return;
    setD({ ...d, items: [...d.items, { itemId: id, label: picked.get(id) ?? id, fieldMap: '' }] });
    setAdding(undefined);
  };
  return (
    <Modal open title={isNew ? t('console.svc.catalogue.bundleCreate') : t('console.svc.catalogue.bundleEdit')} onCancel={onClose} onOk={() => save.mutate(undefined)} confirmLoading={save.isPending} width={1180} destroyOnHidden>
      <Row gutter={16}>
        <Col span={6}>
          <div className="mini-label">{t('console.svc.catalogue.bundleCode')}</div>
          <Input value={d.code} disabled={!isNew} placeholder="BIRTH-ONE" onChange={(e) => setD({ ...d, code: e.target.value.toUpperCase() })} />
        </Col>
        <Col span={8}>
          <div className="mini-label">{t('console.svc.catalogue.bundleName')}</div>
          <Input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} maxLength={60} />
        </Col>
        <Col span={6}>
          <div className="mini-label">{t('console.svc.catalogue.bundleZone')}</div>
          <Select
            allowClear
            className="full-width"
            value={d.zone ?? undefined}
            onChange={(v) => setD({ ...d, zone: v ?? null })}
            options={(zones.data ?? []).filter((z) => z.category === 'life_event').map((z) => ({ value: z.code, label: locale === 'en' ? z.nameEn : z.name }))}
          />
        </Col>
        <Col span={4}>
          <div className="mini-label">{t('console.svc.catalogue.bundleStatus')}</div>
          <Select
            className="full-width"
            value={d.status}
            onChange={(status) => setD({ ...d, status })}
            options={[
              { value: 'published', label: t('console.svc.status.published') },
              { value: 'retired', label: t('console.svc.status.retired') },
            ]}
          />
        </Col>
        <Col span={24} className="gap-top">
          <div className="mini-label">{t('console.svc.editor.description')}</div>
          <Input.TextArea value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} />
        </Col>
      </Row>
      <Typography.Title level={5} className="gap-top">
        {t('console.svc.catalogue.bundleItems')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="itemId"
        pagination={false}
        dataSource={d.items}
        columns={[
          { title: t('console.svc.worklist.item'), dataIndex: 'label', width: 320 },
          {
            title: (
              <span>
                {t('console.svc.catalogue.fieldMap')} <Typography.Text type="secondary">{t('console.svc.catalogue.fieldMapHelp')}</Typography.Text>
              </span>
            ),
            key: 'map',
            render: (_, r) => (
              <Input.TextArea
                className="mono"
                autoSize={{ minRows: 1, maxRows: 6 }}
                value={r.fieldMap}
                placeholder="applicantName=applicantName"
                onChange={(e) => setD({ ...d, items: d.items.map((x) => (x.itemId === r.itemId ? { ...x, fieldMap: e.target.value } : x)) })}
              />
            ),
          },
          { title: '', key: 'rm', width: 48, render: (_, r) => <Button type="text" danger icon={<DeleteOutlined />} onClick={() => setD({ ...d, items: d.items.filter((x) => x.itemId !== r.itemId) })} aria-label={t('console.svc.c.remove')} /> },
        ]}
      />
      <Space className="gap-top">
        <ItemSelect
          value={adding}
          status="published"
          exclude={new Set(d.items.map((i) => i.itemId))}
          onChange={(v) => setAdding(v)}
          placeholder={t('console.svc.catalogue.pickItem')}
          style={{ width: 420 }}
        />
        <Button icon={<PlusOutlined />} disabled={!adding} onClick={() => addItem(adding)}>
          {t('console.svc.c.add')}
        </Button>
      </Space>
      <PickedLabels id={adding} onLabel={(id, label) => setPicked(new Map(picked).set(id, label))} />
      <Typography.Title level={5} className="gap-top">
        {t('console.svc.catalogue.bundleForm')}
      </Typography.Title>
      <FormFieldsEditor value={d.form} onChange={(form) => setD({ ...d, form })} readOnly={false} />
    </Modal>
  );
}

/** Looks the chosen item's name up so the member table can show it. */
function PickedLabels({ id, onLabel }: { id: string | undefined; onLabel: (id: string, label: string) => void }) {
  useQuery({
    queryKey: ['svc-items', 'label', id],
    queryFn: async () => {
      const it = await api.get<Item>(`/api/svc/items/${id}`);
      onLabel(it.id, `${it.name}（${it.code}）`);
      return it;
    },
    enabled: !!id,
    staleTime: Infinity,
  });
  return null;
}

function BundlesTab() {
  const { t } = useTranslation();
  const locale = useLocale();
  const notify = useNotify();
  const zones = useZones();
  const list = useQuery({ queryKey: ['svc-bundles'], queryFn: () => api.get<ResponseOf<'/api/public/svc/bundles'>>('/api/public/svc/bundles') });
  const [editing, setEditing] = useState<{ draft: BundleDraft; isNew: boolean } | null>(null);
  const zoneName = new Map((zones.data ?? []).map((z) => [z.code, locale === 'en' ? z.nameEn : z.name]));
  const edit = async (b: BundleSummary) => {
    try {
      const full = await api.get<BundleDetail>(`/api/public/svc/bundles/${encodeURIComponent(b.code)}`);
      setEditing({
        isNew: false,
        draft: {
          code: full.code,
          name: full.name,
          description: full.description,
          zone: full.zone,
          status: 'published',
          form: full.form ?? { fields: [] },
          items: full.items.map((i) => ({ itemId: i.id, label: `${i.name}（${i.code}）`, fieldMap: mapText(i.fieldMap) })),
        },
      });
    } catch (e) {
      notify.fail(e);
    }
  };
  return (
    <>
      <Toolbar create={{ label: t('console.svc.catalogue.bundleCreate'), onClick: () => setEditing({ isNew: true, draft: { code: '', name: '', description: '', zone: null, status: 'published', form: { fields: [] }, items: [] } }) }} />
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <Table<BundleSummary>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="bundles-table"
        columns={[
          { title: t('console.svc.catalogue.bundleCode'), dataIndex: 'code', width: 150, render: (v: string) => <code>{v}</code> },
          { title: t('console.svc.catalogue.bundleName'), dataIndex: 'name', width: 200 },
          { title: t('console.svc.catalogue.bundleZone'), dataIndex: 'zone', width: 120, render: (v: string | null) => (v ? zoneName.get(v) ?? v : '—') },
          {
            title: t('console.svc.catalogue.bundleItems'),
            key: 'items',
            render: (_, b) => (
              <Space size={4} wrap>
                {b.items.map((i) => (
                  <Tag key={i.id}>{i.name}</Tag>
                ))}
              </Space>
            ),
          },
          ...actionsColumn<BundleSummary>(t, (b) => <RowButton onClick={() => void edit(b)}>{t('console.svc.c.edit')}</RowButton>),
        ]}
      />
      {editing && <BundleEditor draft={editing.draft} isNew={editing.isNew} onClose={() => setEditing(null)} />}
    </>
  );
}

// ---- zones ---------------------------------------------------------------------------------------------

interface ZoneValues {
  code: string;
  name: string;
  nameEn: string;
  category: Zone['category'];
  sort?: number;
  active: boolean;
}

function ZonesTab() {
  const { t } = useTranslation();
  const zones = useZones();
  const [category, setCategory] = useState<Zone['category'] | 'all'>('all');
  const [editing, setEditing] = useState<{ zone: Zone | null } | null>(null);
  const [form] = Form.useForm<ZoneValues>();
  const save = useSave((v: ZoneValues) => api.put('/api/svc/zones', v), { refresh: 'svc-zones', ok: () => t('console.svc.catalogue.zoneSaved'), then: () => setEditing(null) });
  const rows = (zones.data ?? []).filter((z) => category === 'all' || z.category === category);
  return (
    <>
      <Toolbar create={{ label: t('console.svc.catalogue.zoneCreate'), onClick: () => setEditing({ zone: null }) }}>
        <Select
          value={category}
          onChange={setCategory}
          style={{ width: 140 }}
          options={[{ value: 'all', label: t('console.c.all') }, ...(['audience', 'life_event', 'topic'] as const).map((c) => ({ value: c, label: t(`console.svc.zoneCategory.${c}`) }))]}
        />
      </Toolbar>
      <QueryError error={zones.error} onRetry={() => void zones.refetch()} />
      <Table<Zone>
        rowKey="id"
        size="small"
        loading={zones.isFetching}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="zones-table"
        columns={[
          { title: t('console.c.code'), dataIndex: 'code', width: 160, render: (v: string) => <code>{v}</code> },
          { title: t('console.c.nameZh'), dataIndex: 'name' },
          { title: t('console.c.nameEn'), dataIndex: 'nameEn' },
          { title: t('console.svc.catalogue.category'), dataIndex: 'category', width: 110, render: (v: string) => t(`console.svc.zoneCategory.${v}`) },
          { title: t('console.svc.catalogue.itemCount'), dataIndex: 'items', width: 90, align: 'right' },
          { title: t('console.svc.catalogue.tabBundles'), key: 'bundles', render: (_, z) => z.bundles.map((b) => <Tag key={b.code}>{b.name}</Tag>) },
          ...actionsColumn<Zone>(t, (z) => <RowButton onClick={() => setEditing({ zone: z })}>{t('console.svc.c.edit')}</RowButton>),
        ]}
      />
      <FormModal<ZoneValues>
        open={!!editing}
        title={editing?.zone ? t('console.svc.catalogue.zoneEdit') : t('console.svc.catalogue.zoneCreate')}
        form={form}
        onClose={() => setEditing(null)}
        save={save}
        initialValues={editing?.zone ? { code: editing.zone.code, name: editing.zone.name, nameEn: editing.zone.nameEn, category: editing.zone.category, active: true } : { category: 'topic', active: true, sort: 100 }}
      >
        <Form.Item name="code" label={t('console.svc.catalogue.zoneCode')} rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}>
          <Input disabled={!!editing?.zone} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('console.c.nameZh')} rules={[{ required: true }, { max: 30 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('console.c.nameEn')} rules={[{ required: true }, { max: 60 }]}>
          <Input />
        </Form.Item>
        <Space size={24}>
          <Form.Item name="category" label={t('console.svc.catalogue.category')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} options={(['audience', 'life_event', 'topic'] as const).map((c) => ({ value: c, label: t(`console.svc.zoneCategory.${c}`) }))} />
          </Form.Item>
          <Form.Item name="sort" label={t('console.svc.catalogue.sort')}>
            <InputNumber min={0} max={10000} />
          </Form.Item>
          <Form.Item name="active" label={t('console.svc.catalogue.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </FormModal>
    </>
  );
}

// ---- district sub-halls ----------------------------------------------------------------------------------

function HallItems({ hall, onClose }: { hall: Hall; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [adding, setAdding] = useState<string | undefined>();
  // The sub-hall's list = its district's own items + the city items it handles; the city ones are those without a district.
  const items = useQuery({
    queryKey: ['svc-items', 'hall', hall.districtCode],
    queryFn: () => api.get<ResponseOf<'/api/svc/items'>>('/api/svc/items', { district: hall.districtCode, limit: 200, offset: 0 }),
  });
  const city = (items.data?.items ?? []).filter((i) => !i.districtCode);
  const change = useSave((body: { add?: string[]; remove?: string[] }) => api.post(`/api/svc/halls/${hall.districtCode}/items`, body), {
    refresh: 'svc-halls',
    ok: (_, b) => (b.add ? t('console.svc.catalogue.hallAdded') : t('console.svc.catalogue.hallRemoved')),
    then: () => {
      setAdding(undefined);
      void qc.invalidateQueries({ queryKey: ['svc-items', 'hall', hall.districtCode] });
    },
  });
  return (
    <Drawer open onClose={onClose} size={720} title={t('console.svc.catalogue.hallItemsTitle', { hall: hall.name })}>
      <Typography.Paragraph type="secondary">{t('console.svc.catalogue.hallOnlyCity')}</Typography.Paragraph>
      <Space className="gap-bottom">
        <ItemSelect value={adding} onChange={setAdding} status="published" cityOnly exclude={new Set(city.map((i) => i.id))} placeholder={t('console.svc.catalogue.hallAdd')} style={{ width: 440 }} />
        <Button type="primary" icon={<PlusOutlined />} disabled={!adding} loading={change.isPending} onClick={() => adding && change.mutate({ add: [adding] })}>
          {t('console.svc.c.add')}
        </Button>
      </Space>
      <QueryError error={items.error} onRetry={() => void items.refetch()} />
      {items.data && items.data.total > 200 && <Alert type="info" showIcon title={t('console.c.total', { count: items.data.total })} />}
      <Table<ItemSummary>
        size="small"
        rowKey="id"
        loading={items.isFetching}
        dataSource={city}
        pagination={{ pageSize: 15, hideOnSinglePage: true }}
        data-testid="hall-items-table"
        columns={[
          { title: t('console.svc.c.name'), dataIndex: 'name' },
          { title: t('console.svc.c.owner'), key: 'owner', width: 150, render: (_, i) => i.owner?.name ?? '—' },
          { title: t('console.svc.c.mode'), dataIndex: 'mode', width: 110, render: (v: HandlingMode) => <ModeTag mode={v} /> },
          ...actionsColumn<ItemSummary>(t, (i) => (
            <ConfirmRowButton title={`${t('console.svc.c.remove')} ${i.name}?`} onConfirm={() => change.mutate({ remove: [i.id] })}>
              {t('console.svc.c.remove')}
            </ConfirmRowButton>
          )),
        ]}
      />
    </Drawer>
  );
}

function HallsTab() {
  const { t } = useTranslation();
  const halls = useHalls();
  const [open, setOpen] = useState<Hall | null>(null);
  return (
    <>
      <QueryError error={halls.error} onRetry={() => void halls.refetch()} />
      <Table<Hall>
        rowKey="id"
        size="small"
        loading={halls.isFetching}
        dataSource={halls.data ?? []}
        pagination={false}
        data-testid="halls-table"
        columns={[
          { title: t('console.svc.catalogue.hall'), dataIndex: 'name' },
          { title: t('console.c.code'), dataIndex: 'districtCode', width: 100, render: (v: string) => <code>{v}</code> },
          { title: t('console.svc.catalogue.address'), dataIndex: 'address' },
          { title: t('console.svc.catalogue.ownItems'), dataIndex: 'ownItems', width: 100, align: 'right' },
          { title: t('console.svc.catalogue.cityItems'), dataIndex: 'cityItems', width: 120, align: 'right' },
          ...actionsColumn<Hall>(t, (h) => <RowButton onClick={() => setOpen(h)}>{t('console.svc.catalogue.manageItems')}</RowButton>, { width: 130 }),
        ]}
      />
      {open && <HallItems hall={open} onClose={() => setOpen(null)} />}
    </>
  );
}

// ---- synonyms --------------------------------------------------------------------------------------------

function SynonymsTab() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['svc-synonyms'], queryFn: () => api.get<ResponseOf<'/api/svc/synonyms'>>('/api/svc/synonyms') });
  const [editing, setEditing] = useState<{ s: Synonym | null } | null>(null);
  const [form] = Form.useForm<Synonym>();
  const save = useSave((v: Synonym) => api.put('/api/svc/synonyms', { term: v.term.trim(), expansions: v.expansions.map((e) => e.trim()).filter(Boolean) }), {
    refresh: 'svc-synonyms',
    ok: () => t('console.svc.catalogue.synonymSaved'),
    then: () => setEditing(null),
  });
  const remove = useSave((term: string) => api.del(`/api/svc/synonyms/${encodeURIComponent(term)}`), { refresh: 'svc-synonyms', ok: () => t('console.svc.catalogue.synonymRemoved') });
  return (
    <>
      <Toolbar create={{ label: t('console.svc.catalogue.synonymCreate'), onClick: () => setEditing({ s: null }) }} />
      <QueryError error={list.error} onRetry={() => void list.refetch()} />
      <Table<Synonym>
        rowKey="term"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="synonyms-table"
        columns={[
          { title: t('console.svc.catalogue.term'), dataIndex: 'term', width: 200, render: (v: string) => <strong>{v}</strong> },
          { title: t('console.svc.catalogue.expansions'), dataIndex: 'expansions', render: (v: string[]) => v.map((e) => <Tag key={e}>{e}</Tag>) },
          ...actionsColumn<Synonym>(
            t,
            (s) => (
              <Space size={0}>
                <RowButton onClick={() => setEditing({ s })}>{t('console.svc.c.edit')}</RowButton>
                <ConfirmRowButton title={t('console.svc.catalogue.synonymRemoveConfirm')} onConfirm={() => remove.mutate(s.term)}>
                  {t('console.svc.c.remove')}
                </ConfirmRowButton>
              </Space>
            ),
            { width: 130 },
          ),
        ]}
      />
      <FormModal<Synonym> open={!!editing} title={editing?.s ? editing.s.term : t('console.svc.catalogue.synonymCreate')} form={form} onClose={() => setEditing(null)} save={save} initialValues={editing?.s ?? { term: '', expansions: [] }}>
        <Form.Item name="term" label={t('console.svc.catalogue.term')} rules={[{ required: true, whitespace: true }, { max: 20 }]}>
          <Input disabled={!!editing?.s} />
        </Form.Item>
        <Form.Item name="expansions" label={t('console.svc.catalogue.expansions')} extra={t('console.svc.catalogue.expansionsHelp')} rules={[{ required: true, type: 'array', min: 1, max: 10 }]}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} />
        </Form.Item>
      </FormModal>
    </>
  );
}

export default function SvcCatalogue() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('bundles');
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          items={[
            { key: 'bundles', label: t('console.svc.catalogue.tabBundles'), children: <BundlesTab /> },
            { key: 'zones', label: t('console.svc.catalogue.tabZones'), children: <ZonesTab /> },
            { key: 'halls', label: t('console.svc.catalogue.tabHalls'), children: <HallsTab /> },
            { key: 'synonyms', label: t('console.svc.catalogue.tabSynonyms'), children: <SynonymsTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
