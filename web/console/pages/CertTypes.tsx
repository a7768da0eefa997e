// Certificate types: the 30 types with their codes, defining departments and fields; the bureau
// (cert.type.manage) edits English names and field lists.
import { useMemo, useState } from 'react';
import { Button, Card, Checkbox, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { DataTable, FilterSelect, RowButton, Toolbar, actionsColumn } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { useCan, useLocale, useSave } from '../hooks';
import { c, fieldLabel, typeLabel, useCertTypes } from '../cert/common';
import type { CertType, FieldDef } from '../cert/types';

type EditValues = { nameEn: string; fields: FieldDef[] };

function FieldsTable({ fields }: { fields: FieldDef[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Table<FieldDef>
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={fields}
      columns={[
        { title: t(`${c}.types.key`), dataIndex: 'key', width: 180, render: (v: string) => <span className="muted-code">{v}</span> },
        { title: t(`${c}.types.fields`), key: 'name', render: (_, f) => fieldLabel(f, locale) },
        { title: t(`${c}.types.type`), dataIndex: 'type', width: 100, render: (v: string) => t(`${c}.fieldType.${v}`) },
        { title: t(`${c}.types.required`), dataIndex: 'required', width: 80, render: (v: boolean) => (v ? '✓' : '') },
        { title: t(`${c}.types.personal`), dataIndex: 'personal', width: 90, render: (v?: boolean) => (v ? <Tag color="gold">{t(`${c}.types.personal`)}</Tag> : '') },
      ]}
    />
  );
}

export default function CertTypes() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const types = useCertTypes();
  const [dept, setDept] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<CertType | null>(null);
  const [form] = Form.useForm<EditValues>();
  const all = types.data?.items ?? [];
  const depts = useMemo(() => [...new Map(all.map((x) => [x.departmentCode, x.departmentName])).entries()].map(([value, label]) => ({ value, label })), [all]);
  const rows = all.filter((x) => (!dept || x.departmentCode === dept) && (!q || x.nameZh.includes(q) || x.nameEn.toLowerCase().includes(q.toLowerCase())));
  const save = useSave((v: EditValues) => api.patch<CertType>(`/api/cert/types/${editing!.id}`, { nameEn: v.nameEn, fields: v.fields.map((f) => ({ ...f, required: !!f.required, personal: !!f.personal })) }), {
    refresh: 'cert-types',
    ok: () => t(`${c}.types.saved`),
    then: () => setEditing(null),
  });
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <Toolbar>
          <Input.Search allowClear placeholder={t(`${c}.types.search`)} onSearch={setQ} style={{ width: 220 }} data-testid="cert-types-search" />
          <FilterSelect placeholder={t(`${c}.types.department`)} value={dept} onChange={setDept} options={depts} width={200} />
        </Toolbar>
        <DataTable<CertType>
          query={types}
          rows={rows}
          rowKey="id"
          data-testid="cert-types-table"
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (r) => <FieldsTable fields={r.fields} /> }}
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t(`${c}.types.name`),
              key: 'name',
              width: 240,
              render: (_, r) => (
                <div className="cell-stack">
                  <span>{typeLabel(r, locale)}</span>
                  <Typography.Text type="secondary">{locale === 'en' ? r.nameZh : r.nameEn}</Typography.Text>
                </div>
              ),
            },
            { title: t(`${c}.types.code`), dataIndex: 'code', width: 230, render: (v: string) => <Typography.Text className="muted-code" copyable>{v}</Typography.Text> },
            { title: t(`${c}.types.department`), dataIndex: 'departmentName', width: 180 },
            { title: t(`${c}.types.holderKind`), dataIndex: 'holderKind', width: 130, render: (v: string) => t(`${c}.holderKind.${v}`) },
            { title: t(`${c}.types.fields`), key: 'fields', width: 100, render: (_, r) => t(`${c}.types.fieldCount`, { count: r.fields.length }) },
            { title: t(`${c}.types.canIssue`), dataIndex: 'canIssue', width: 120, render: (v: boolean) => (v ? <Tag color="blue">✓</Tag> : '') },
            ...actionsColumn<CertType>(
              t,
              (r) => (
                <RowButton
                  icon={<EditOutlined />}
                  onClick={() => {
                    setEditing(r);
                    form.setFieldsValue({ nameEn: r.nameEn, fields: r.fields });
                  }}
                >
                  {t('action.edit')}
                </RowButton>
              ),
              { show: can('cert.type.manage'), width: 100 },
            ),
          ]}
        />
      </Card>
      <FormModal<EditValues> open={!!editing} title={`${t(`${c}.types.edit`)}：${editing?.nameZh ?? ''}`} form={form} onClose={() => setEditing(null)} save={save} width={980} initialValues={editing ? { nameEn: editing.nameEn, fields: editing.fields } : undefined} okTestId="cert-type-save">
        <Form.Item name="nameEn" label={t(`${c}.types.nameEn`)} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="cert-type-nameEn" />
        </Form.Item>
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              {items.map(({ key, name }) => (
                <Space key={key} align="baseline" wrap>
                  <Form.Item name={[name, 'key']} rules={[{ required: true, pattern: /^[a-z][A-Za-z0-9]{0,39}$/ }]}>
                    <Input placeholder={t(`${c}.types.key`)} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'nameZh']} rules={[{ required: true, max: 60 }]}>
                    <Input placeholder={t(`${c}.types.nameZh`)} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'nameEn']} rules={[{ required: true, max: 120 }]}>
                    <Input placeholder={t(`${c}.types.fieldNameEn`)} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'type']} rules={[{ required: true }]}>
                    <Select style={{ width: 100 }} options={['string', 'date', 'number', 'boolean'].map((v) => ({ value: v, label: t(`${c}.fieldType.${v}`) }))} />
                  </Form.Item>
                  <Form.Item name={[name, 'required']} valuePropName="checked">
                    <Checkbox>{t(`${c}.types.required`)}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[name, 'personal']} valuePropName="checked">
                    <Checkbox>{t(`${c}.types.personal`)}</Checkbox>
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(name)} aria-label={t(`${c}.types.removeField`)} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ key: '', nameZh: '', nameEn: '', type: 'string', required: false })}>
                {t(`${c}.types.addField`)}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </div>
  );
}
