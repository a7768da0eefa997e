// One catalogued resource: its catalogue fields with the X-Road service id, its data items, and its
// version history; the provider (or the bureau) edits the draft, publishes it or retires the resource.
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Form, Popconfirm, Result, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isStatus } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/format';
import { FormModal } from '../components/FormModal';
import { QueryError } from '../components/QueryError';
import { useLocale, useSave } from '../hooks';
import type { DataItem, Resource, ResourceFields } from '../share/catalogue-types';
import { ResourceFormFields, toResourceBody, type ResourceFormValues } from '../share/resource-form';
import { DatasetTab, ObjectionsTab, QualityTab } from '../share/resource-data';
import { GradeTag, StateTag } from './ShareCatalogue';

const c = 'console.share.cat';

function ItemsTable({ items }: { items: DataItem[] }) {
  const { t } = useTranslation();
  return (
    <Table<DataItem>
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={items}
      data-testid="items-table"
      columns={[
        { title: '#', width: 50, render: (_, __, i) => i + 1 },
        { title: t(`${c}.item.label`), dataIndex: 'label' },
        { title: t(`${c}.item.name`), dataIndex: 'name', render: (v: string) => <code>{v}</code> },
        { title: t(`${c}.item.type`), dataIndex: 'type', width: 100, render: (v: string) => t(`${c}.itemType.${v}`) },
        {
          title: '',
          key: 'flags',
          render: (_, i) => (
            <Space size={2} wrap>
              {i.key && <Tag color="blue">{t(`${c}.item.key`)}</Tag>}
              {i.required && !i.key && <Tag>{t(`${c}.item.required`)}</Tag>}
              {i.change && <Tag color="purple">{t(`${c}.item.change`)}</Tag>}
            </Space>
          ),
        },
        { title: t(`${c}.item.personal`), dataIndex: 'personal', width: 110, render: (v: string | undefined) => (v ? <Tag color="gold">{t(`${c}.personal.${v}`)}</Tag> : '—') },
      ]}
    />
  );
}

function InfoTab({ r, fields }: { r: Resource; fields: ResourceFields }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNavigate();
  return (
    <Descriptions bordered size="small" column={2} data-testid="resource-info">
      <Descriptions.Item label={t(`${c}.f.code`)}>
        <code>{r.code}</code>
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.provider`)}>
        {r.providerMember.name} <span className="muted-code">{r.providerMember.xroadId}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.xroadServiceId`)} span={2}>
        {r.xroadServiceId ? <Typography.Text code copyable data-testid="xroad-service-id">{r.xroadServiceId}</Typography.Text> : <Typography.Text type="secondary">{t(`${c}.res.noService`)}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.category`)}>
        {t(`${c}.category.${fields.category}`)}
        {fields.basicKind ? ` · ${t(`${c}.basicKind.${fields.basicKind}`)}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.classification`)}>{fields.classification || '—'}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.summary`)} span={2}>
        {fields.summary || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.grade`)}>
        <GradeTag grade={fields.grade} />
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.format`)}>{t(`${c}.format.${fields.format}`)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.sharingType`)}>{t(`${c}.sharing.${fields.sharingType}`)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.sharingMethod`)}>{t(`${c}.method.${fields.sharingMethod}`)}</Descriptions.Item>
      {fields.sharingCondition && (
        <Descriptions.Item label={t(`${c}.f.sharingCondition`)} span={2}>
          {fields.sharingCondition}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t(`${c}.f.openingType`)}>{t(`${c}.opening.${fields.openingType}`)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.updateCycle`)}>{t(`${c}.cycle.${fields.updateCycle}`)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.legalBasis`)} span={2}>
        {fields.legalBasis || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.relatedCodes`)} span={2}>
        {fields.relatedCodes.length ? (
          <Space size={4} wrap>
            {fields.relatedCodes.map((code) => (
              <Tag key={code} className="clickable" onClick={() => void api.get<{ items: { id: string }[] }>('/api/share/resources', { q: code, limit: 1 }).then((p) => p.items[0] && nav(`/share/resources/${p.items[0].id}`))}>
                {code}
              </Tag>
            ))}
          </Space>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.state`)}>
        <Space size={4}>
          <StateTag state={r.state} />
          <span className="muted-code">v{r.version}</span>
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.publishDate`)}>{r.publishDate ? formatDate(r.publishDate, locale) : '—'}</Descriptions.Item>
    </Descriptions>
  );
}

function EditModal({ r, open, onClose }: { r: Resource; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResourceFormValues>();
  const base: ResourceFields = r.draft ?? r;
  const save = useSave((v: ResourceFormValues) => api.patch<Resource>(`/api/share/resources/${r.id}`, toResourceBody(v)), {
    refresh: 'share-resources',
    ok: (x) => t(`${c}.res.saved`, { version: x.draftVersion ?? x.version }),
    then: onClose,
  });
  const initial: ResourceFormValues = {
    name: base.name, summary: base.summary, category: base.category, basicKind: base.basicKind, classification: base.classification, format: base.format,
    items: base.items, sharingType: base.sharingType, sharingCondition: base.sharingCondition, sharingMethod: base.sharingMethod, openingType: base.openingType,
    updateCycle: base.updateCycle, relatedCodes: base.relatedCodes, grade: base.grade, legalBasis: base.legalBasis, providerSubsystemId: base.providerSubsystemId,
  };
  const version = r.state === 'draft' ? r.version : (r.draftVersion ?? r.version + 1);
  return (
    <FormModal<ResourceFormValues> open={open} title={t(`${c}.res.editTitle`, { version })} form={form} onClose={onClose} save={save} width={980} initialValues={initial} okTestId="edit-resource-ok">
      <ResourceFormFields form={form} providerMemberId={r.providerMemberId} withNote={r.state === 'published'} />
    </FormModal>
  );
}

export default function ShareResource() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const [editing, setEditing] = useState(false);
  const [view, setView] = useState<'published' | 'draft'>('published');
  const q = useQuery({ queryKey: ['share-resources', 'one', id], queryFn: () => api.get<Resource>(`/api/share/resources/${id}`) });
  const publish = useSave(() => api.post<Resource>(`/api/share/resources/${id}/publish`), { refresh: 'share-resources', ok: (x) => t(`${c}.res.published`, { version: x.version }) });
  const retire = useSave(() => api.post<Resource>(`/api/share/resources/${id}/retire`, {}), { refresh: 'share-resources', ok: () => t(`${c}.res.retired`) });

  if (q.error && isStatus(q.error, 404)) return <Result status="404" title={t('console.c.notFound')} />;
  if (!q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  const showDraft = view === 'draft' && r.draft;
  const fields: ResourceFields = showDraft ? r.draft! : r;
  const pendingVersion = r.state === 'draft' ? r.version : r.draftVersion;

  return (
    <div className="page">
      <Card
        variant="borderless"
        className="section-card"
        title={
          <Space wrap>
            <span data-testid="resource-name">{r.name}</span>
            <span className="muted-code">{r.code}</span>
            <StateTag state={r.state} />
            <GradeTag grade={r.grade} />
          </Space>
        }
        extra={
          r.canManage && (
            <Space wrap>
              {r.state !== 'retired' && (
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-resource">
                  {t(`${c}.res.edit`)}
                </Button>
              )}
              {pendingVersion != null && r.state !== 'retired' && (
                <Popconfirm title={t(`${c}.res.publishConfirm`, { version: pendingVersion })} onConfirm={() => publish.mutate(undefined)}>
                  <Button type="primary" icon={<CheckOutlined />} loading={publish.isPending} data-testid="publish-resource">
                    {t(`${c}.res.publish`)}
                  </Button>
                </Popconfirm>
              )}
              {r.state !== 'retired' && (
                <Popconfirm title={t(`${c}.res.retireConfirm`)} onConfirm={() => retire.mutate(undefined)} okButtonProps={{ danger: true }}>
                  <Button danger icon={<StopOutlined />} loading={retire.isPending} data-testid="retire-resource">
                    {t(`${c}.res.retire`)}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )
        }
      >
        {r.draft && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(`${c}.res.pending`, { version: r.draft.version, name: r.draft.name, current: r.version })}
            action={<Segmented size="small" value={view} onChange={(v) => setView(v as 'published' | 'draft')} options={[{ value: 'published', label: t(`${c}.res.showPublished`) }, { value: 'draft', label: t(`${c}.res.showDraft`) }]} />}
          />
        )}
        <Tabs
          destroyOnHidden
          items={[
            { key: 'info', label: t(`${c}.res.tabInfo`), children: <InfoTab r={r} fields={fields} /> },
            { key: 'items', label: `${t(`${c}.res.tabItems`)}（${fields.items.length}）`, children: <ItemsTable items={fields.items} /> },
            { key: 'dataset', label: t(`${c}.ds.tab`), children: <DatasetTab r={r} /> },
            { key: 'quality', label: t(`${c}.ds.tabQuality`), children: <QualityTab r={r} /> },
            { key: 'objections', label: t(`${c}.ds.tabObjections`), children: <ObjectionsTab r={r} /> },
            {
              key: 'versions',
              label: t(`${c}.res.tabVersions`),
              children: (
                <Table
                  size="small"
                  rowKey="version"
                  pagination={false}
                  dataSource={r.versions}
                  data-testid="versions-table"
                  columns={[
                    { title: t(`${c}.f.version`), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
                    { title: t(`${c}.f.state`), dataIndex: 'state', width: 110, render: (v: string) => <StateTag state={v} /> },
                    { title: t(`${c}.res.versionNote`), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
                    { title: t(`${c}.res.createdAt`), dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v, locale) },
                    { title: t(`${c}.res.publishedAt`), dataIndex: 'publishedAt', width: 180, render: (v: string | null) => (v ? formatDateTime(v, locale) : '—') },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      {editing && <EditModal r={r} open={editing} onClose={() => setEditing(false)} />}
    </div>
  );
}
