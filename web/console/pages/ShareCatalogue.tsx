// The data resource catalogue: Chinese search over names, codes, summaries and item labels, facet
// filters with counts, a paged table, and cataloguing a new resource (a draft) for those who manage.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Card, Form, Input, Select, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDate } from '../../shared/format';
import { DataTable, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { useCan, useCurrentMe, useLocale, useSave } from '../hooks';
import type { Page } from '../../shared/types';
import { GRADE_COLOUR, STATE_COLOUR, STATES, type Facets, type Member, type Resource, type ResourceSummary } from '../share/catalogue-types';
import { ResourceFormFields, toResourceBody, type ResourceFormValues } from '../share/resource-form';

const c = 'console.share.cat';

function CreateResourceModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [form] = Form.useForm<ResourceFormValues>();
  const me = useCurrentMe();
  const own = useQuery({
    queryKey: ['share-members', 'own', me.org?.id],
    queryFn: () => api.get<Page<Member>>('/api/share/members', { orgId: me.org?.id, limit: 1 }),
    enabled: open && !!me.org?.id,
  });
  const create = useSave((v: ResourceFormValues) => api.post<Resource>('/api/share/resources', toResourceBody(v)), {
    refresh: 'share-resources',
    ok: (r) => t(`${c}.list.created`, { code: r.code }),
    then: (r) => {
      onClose();
      nav(`/share/resources/${r.id}`);
    },
  });
  return (
    <FormModal<ResourceFormValues>
      open={open}
      title={t(`${c}.list.createTitle`)}
      form={form}
      onClose={onClose}
      save={create}
      width={980}
      okTestId="create-resource-ok"
      initialValues={{ category: 'departmental', format: 'table', grade: 'general', sharingType: 'conditional', sharingMethod: 'interface', openingType: 'none', updateCycle: 'daily', items: [{ name: 'id', label: '记录编号', type: 'string', key: true }] }}
    >
      <ResourceFormFields form={form} providerMemberId={own.data?.items[0]?.id} />
    </FormModal>
  );
}

export function GradeTag({ grade }: { grade: string }) {
  const { t } = useTranslation();
  return <Tag color={GRADE_COLOUR[grade]}>{t(`${c}.grade.${grade}`)}</Tag>;
}

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOUR[state]}>{t(`${c}.state.${state}`)}</Tag>;
}

export default function ShareCatalogue() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const nav = useNavigate();
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<string | undefined>();
  const [grade, setGrade] = useState<string | undefined>();
  const [sharingType, setSharingType] = useState<string | undefined>();
  const [providerMemberId, setProvider] = useState<string | undefined>();
  const [state, setState] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const filters = { q: q || undefined, category, grade, sharingType, providerMemberId, state };
  const list = usePagedList<ResourceSummary>(['share-resources', 'list'], '/api/share/resources', filters, { sizeChanger: true });
  const facets = useQuery({ queryKey: ['share-resources', 'facets', filters], queryFn: () => api.get<Facets>('/api/share/resources/facets', filters) });
  const facetOptions = (key: 'category' | 'grade' | 'sharingType', group: string) =>
    (facets.data?.[key] ?? []).map((f) => ({ value: f.value, label: `${t(`${c}.${group}.${f.value}`)}（${f.count}）` }));

  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space wrap>
            <Input.Search allowClear placeholder={t(`${c}.list.search`)} onSearch={(v) => setQ(v.trim())} style={{ width: 300 }} data-testid="resource-search" />
            <Select allowClear placeholder={t(`${c}.f.category`)} value={category} onChange={setCategory} style={{ width: 150 }} popupMatchSelectWidth={false} options={facetOptions('category', 'category')} data-testid="facet-category" />
            <Select allowClear placeholder={t(`${c}.f.grade`)} value={grade} onChange={setGrade} style={{ width: 110 }} popupMatchSelectWidth={false} options={facetOptions('grade', 'grade')} data-testid="facet-grade" />
            <Select allowClear placeholder={t(`${c}.f.sharingType`)} value={sharingType} onChange={setSharingType} style={{ width: 130 }} popupMatchSelectWidth={false} options={facetOptions('sharingType', 'sharing')} />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t(`${c}.list.facetProvider`)}
              value={providerMemberId}
              onChange={setProvider}
              style={{ width: 170 }}
              popupMatchSelectWidth={false}
              options={(facets.data?.provider ?? []).map((p) => ({ value: p.value, label: `${p.name}（${p.count}）` }))}
            />
            <Select allowClear placeholder={t(`${c}.f.state`)} value={state} onChange={setState} style={{ width: 100 }} options={STATES.map((s) => ({ value: s, label: t(`${c}.state.${s}`) }))} />
          </Space>
          {can('share.catalogue.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-resource">
              {t(`${c}.list.create`)}
            </Button>
          )}
        </div>
        <DataTable<ResourceSummary>
          {...list}
          rowKey="id"
          data-testid="resources-table"
          scroll={{ x: 1280 }}
          onRow={(r) => ({ onDoubleClick: () => nav(`/share/resources/${r.id}`) })}
          columns={[
            {
              title: t(`${c}.f.name`),
              key: 'name',
              width: 300,
              render: (_, r) => (
                <div className="cell-stack">
                  <a onClick={() => nav(`/share/resources/${r.id}`)} data-testid="resource-link">
                    {r.name}
                  </a>
                  <span className="muted-code nowrap">{r.code}</span>
                </div>
              ),
            },
            { title: t(`${c}.f.provider`), dataIndex: 'providerName', width: 170 },
            { title: t(`${c}.f.category`), key: 'category', width: 150, render: (_, r) => <span className="nowrap">{t(`${c}.category.${r.category}`)}{r.basicKind ? ` · ${t(`${c}.basicKind.${r.basicKind}`)}` : ''}</span> },
            { title: t(`${c}.f.grade`), dataIndex: 'grade', width: 80, render: (v: string) => <GradeTag grade={v} /> },
            { title: t(`${c}.f.sharingType`), dataIndex: 'sharingType', width: 120, render: (v: string) => t(`${c}.sharing.${v}`) },
            { title: t(`${c}.f.updateCycle`), dataIndex: 'updateCycle', width: 90, render: (v: string) => t(`${c}.cycle.${v}`) },
            { title: t(`${c}.f.items`), dataIndex: 'itemCount', width: 80, render: (n: number) => t(`${c}.list.items`, { count: n }) },
            {
              title: t(`${c}.f.state`),
              key: 'state',
              width: 150,
              render: (_, r) => (
                <Space size={4}>
                  <StateTag state={r.state} />
                  <span className="muted-code">v{r.version}</span>
                  {r.draftVersion && <Tag className="tiny-tag">{`v${r.draftVersion} ${t(`${c}.state.draft`)}`}</Tag>}
                </Space>
              ),
            },
            { title: t(`${c}.f.publishDate`), dataIndex: 'publishDate', width: 110, render: (v: string | null) => (v ? formatDate(v, locale) : '—') },
          ]}
        />
      </Card>
      <CreateResourceModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
