// Service items the officer may see: the portal's Chinese search over drafts too, filters, paging,
// a new draft, and import/export of the catalogue.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Card, Dropdown, Form, Input, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { DataTable, FilterSelect, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { OrgSelect } from '../components/OrgSelect';
import { useCan, useLocale, useSave } from '../hooks';
import { ModeTag, StatusTag, useDepartments, useHalls, useZones } from '../svc/common';
import { ImportModal } from '../svc/ImportModal';
import { APPLICANT_TYPES, HANDLING_MODES, ITEM_KINDS, ITEM_STATUSES, type ApplicantType, type HandlingMode, type Item, type ItemKind, type ItemStatus, type ItemSummary, type SearchPage } from '../svc/types';

interface CreateValues {
  name: string;
  ownerOrgId: string;
  kind: ItemKind;
  applicantType: ApplicantType;
  legalDays: number;
  promisedDays: number;
  mode: HandlingMode;
}

function CreateItemModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  const create = useSave((v: CreateValues) => api.post<Item>('/api/svc/items', v), {
    refresh: 'svc-items',
    ok: (r) => t('console.svc.items.created', { code: r.code }),
    then: (r) => {
      onClose();
      nav(`/svc/items/${r.id}`);
    },
  });
  return (
    <FormModal<CreateValues> open={open} title={t('console.svc.items.createTitle')} form={form} onClose={onClose} save={create} initialValues={{ kind: 'public_service', applicantType: 'person', mode: 'online', legalDays: 20, promisedDays: 10 }} okTestId="create-item-ok">
      <Form.Item name="name" label={t('console.svc.c.name')} rules={[{ required: true }, { max: 100 }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="ownerOrgId" label={t('console.svc.items.ownerOrg')} rules={[{ required: true }]}>
        <OrgSelect kinds={['department', 'subunit', 'district']} />
      </Form.Item>
      <Space.Compact block>
        <Form.Item name="kind" label={t('console.svc.c.kind')} rules={[{ required: true }]} className="grow">
          <Select options={ITEM_KINDS.map((k) => ({ value: k, label: t(`console.svc.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="applicantType" label={t('console.svc.c.applicant')} rules={[{ required: true }]} className="grow">
          <Select options={APPLICANT_TYPES.map((k) => ({ value: k, label: t(`console.svc.applicant.${k}`) }))} />
        </Form.Item>
      </Space.Compact>
      <Form.Item name="mode" label={t('console.svc.c.mode')} rules={[{ required: true }]}>
        <Select options={HANDLING_MODES.map((k) => ({ value: k, label: t(`console.svc.mode.${k}`) }))} />
      </Form.Item>
      <Space size={16}>
        <Form.Item name="legalDays" label={t('console.svc.editor.legalDays')} rules={[{ required: true }]}>
          <InputNumber min={0} max={3650} precision={0} />
        </Form.Item>
        <Form.Item
          name="promisedDays"
          label={t('console.svc.editor.promisedDays')}
          dependencies={['legalDays']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({ validator: (_, v: number) => (v > getFieldValue('legalDays') ? Promise.reject(new Error(t('console.svc.editor.promisedTooLong'))) : Promise.resolve()) }),
          ]}
        >
          <InputNumber min={0} max={3650} precision={0} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

export default function SvcItems() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const nav = useNavigate();
  const zones = useZones();
  const halls = useHalls();
  const departments = useDepartments();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ItemStatus | undefined>();
  const [department, setDepartment] = useState('');
  const [district, setDistrict] = useState<string | undefined>();
  const [mode, setMode] = useState<HandlingMode | undefined>();
  const [zone, setZone] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  const list = usePagedList<ItemSummary>(['svc-items', 'list'], '/api/svc/items', { q, status, department: department || undefined, district, mode, zone }, { sizeChanger: true });
  const expanded = (list.query.data as SearchPage | undefined)?.expanded ?? [];
  const zoneName = new Map((zones.data ?? []).map((z) => [z.code, locale === 'en' ? z.nameEn : z.name]));
  const exportHref = (format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams({ format });
    if (status) p.set('status', status);
    if (department) p.set('department', department);
    if (district) p.set('district', district);
    return `/api/svc/export?${p.toString()}`;
  };

  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space wrap>
            <Input.Search allowClear placeholder={t('console.svc.items.search')} onSearch={(v) => setQ(v.trim())} style={{ width: 300 }} data-testid="item-search" />
            <FilterSelect<ItemStatus> placeholder={t('console.svc.c.status')} value={status} onChange={setStatus} width={110} options={ITEM_STATUSES.map((s) => ({ value: s, label: t(`console.svc.status.${s}`) }))} testId="filter-status" />
            <FilterSelect<HandlingMode> placeholder={t('console.svc.c.mode')} value={mode} onChange={setMode} width={130} options={HANDLING_MODES.map((s) => ({ value: s, label: t(`console.svc.mode.${s}`) }))} />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('console.svc.c.department')}
              value={department || undefined}
              onChange={(v) => setDepartment(v ?? '')}
              style={{ width: 150 }}
              popupMatchSelectWidth={false}
              options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
            />
            <FilterSelect<string> placeholder={t('console.svc.c.district')} value={district} onChange={setDistrict} width={130} options={(halls.data ?? []).map((h) => ({ value: h.districtCode, label: h.name.replace(/(政务服务)?分厅$/, '') }))} />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('console.svc.c.zones')}
              value={zone}
              onChange={(v) => setZone(v ?? undefined)}
              style={{ width: 150 }}
              popupMatchSelectWidth={false}
              options={(zones.data ?? []).map((z) => ({ value: z.code, label: locale === 'en' ? z.nameEn : z.name }))}
            />
          </Space>
          <Space wrap>
            <Dropdown
              menu={{
                items: [
                  { key: 'csv', label: <a href={exportHref('csv')}>{t('console.svc.items.exportCsv')}</a> },
                  { key: 'xlsx', label: <a href={exportHref('xlsx')}>{t('console.svc.items.exportXlsx')}</a> },
                ],
              }}
            >
              <Button icon={<DownloadOutlined />} data-testid="export">
                {t('console.svc.items.export')}
              </Button>
            </Dropdown>
            {can('svc.item.write') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import">
                {t('console.svc.items.import')}
              </Button>
            )}
            {can('svc.item.write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-item">
                {t('console.svc.items.create')}
              </Button>
            )}
          </Space>
        </div>
        {expanded.length > 0 && (
          <Typography.Paragraph type="secondary" className="expanded-note">
            {t('console.svc.items.expanded', { text: expanded.map((e) => `${e.term} → ${e.expansions.join(' / ')}`).join('；') })}
          </Typography.Paragraph>
        )}
        <DataTable<ItemSummary>
          {...list}
          rowKey="id"
          data-testid="items-table"
          scroll={{ x: 1080 }}
          onRow={(r) => ({ onDoubleClick: () => nav(`/svc/items/${r.id}`) })}
          columns={[
            {
              title: t('console.svc.c.name'),
              key: 'name',
              render: (_, r) => (
                <div className="cell-stack">
                  <a onClick={() => nav(`/svc/items/${r.id}`)} data-testid="item-link">
                    {r.highlight?.length ? r.highlight.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>)) : r.name}
                  </a>
                  <span className="muted-code">
                    {r.code}
                    {r.isDemo && (
                      <Tag className="tiny-tag" variant="filled">
                        {t('console.svc.c.demo')}
                      </Tag>
                    )}
                  </span>
                </div>
              ),
            },
            { title: t('console.svc.c.owner'), key: 'owner', width: 150, render: (_, r) => r.owner?.name ?? '—' },
            { title: t('console.svc.c.kind'), dataIndex: 'kind', width: 110, render: (v: ItemKind) => t(`console.svc.kind.${v}`) },
            { title: t('console.svc.c.mode'), dataIndex: 'mode', width: 120, render: (v: HandlingMode) => <ModeTag mode={v} /> },
            {
              title: t('console.svc.c.days'),
              key: 'days',
              width: 140,
              render: (_, r) => <span className="nowrap">{t('console.svc.c.daysShort', { legal: r.legalDays, promised: r.promisedDays })}</span>,
            },
            {
              title: t('console.svc.c.zones'),
              dataIndex: 'zones',
              width: 150,
              render: (v: string[]) => (
                <Space size={2} wrap>
                  {v.slice(0, 3).map((z) => (
                    <Tag key={z} className="tiny-tag">
                      {zoneName.get(z) ?? z}
                    </Tag>
                  ))}
                  {v.length > 3 && <Tooltip title={v.slice(3).map((z) => zoneName.get(z) ?? z).join('、')}>+{v.length - 3}</Tooltip>}
                </Space>
              ),
            },
            {
              title: t('console.svc.c.status'),
              key: 'status',
              width: 120,
              render: (_, r) => (
                <Space size={4}>
                  <StatusTag status={r.status} />
                  {r.version !== null && <span className="muted-code">v{r.version}</span>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CreateItemModal open={creating} onClose={() => setCreating(false)} />
      <ImportModal open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}
