// The materials an application needs: each an upload (file types and a size limit), an electronic
// certificate that replaces it, or both.
import { Button, Empty, Input, InputNumber, Select, Switch, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCertificateTypes } from './common';
import { UPLOAD_TYPES, type Material, type UploadType } from './types';

export function MaterialsEditor({ value, onChange, readOnly }: { value: Material[]; onChange: (m: Material[]) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const certs = useCertificateTypes();
  const set = (i: number, patch: Partial<Material>) => onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <div data-testid="materials-editor">
      <Table<Material & { _i: number }>
        size="small"
        rowKey="_i"
        pagination={false}
        dataSource={value.map((m, i) => ({ ...m, _i: i }))}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.materials.empty')} /> }}
        scroll={{ x: 1150 }}
        columns={[
          { title: t('console.svc.materials.key'), key: 'key', width: 130, render: (_, m) => <Input value={m.key} disabled={readOnly} onChange={(e) => set(m._i, { key: e.target.value })} /> },
          { title: t('console.svc.materials.name'), key: 'name', width: 250, render: (_, m) => <Input value={m.name} disabled={readOnly} onChange={(e) => set(m._i, { name: e.target.value })} /> },
          { title: t('console.svc.materials.required'), key: 'required', width: 70, render: (_, m) => <Switch size="small" checked={m.required} disabled={readOnly} onChange={(required) => set(m._i, { required })} /> },
          {
            title: t('console.svc.materials.allowUpload'),
            key: 'upload',
            width: 80,
            render: (_, m) => <Switch size="small" checked={!!m.upload} disabled={readOnly} onChange={(on) => set(m._i, { upload: on ? { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 } : null })} />,
          },
          {
            title: t('console.svc.materials.types'),
            key: 'types',
            width: 210,
            render: (_, m) =>
              m.upload ? (
                <Select<UploadType[]>
                  mode="multiple"
                  className="full-width"
                  value={m.upload.types}
                  disabled={readOnly}
                  onChange={(types) => set(m._i, { upload: { ...m.upload!, types } })}
                  options={UPLOAD_TYPES.map((u) => ({ value: u, label: u.toUpperCase() }))}
                />
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('console.svc.materials.maxSize'),
            key: 'size',
            width: 110,
            render: (_, m) => (m.upload ? <InputNumber min={0.1} max={50} step={1} value={m.upload.maxSizeMb} disabled={readOnly} onChange={(n) => set(m._i, { upload: { ...m.upload!, maxSizeMb: n ?? 1 } })} /> : '—'),
          },
          {
            title: t('console.svc.materials.certificate'),
            key: 'cert',
            width: 200,
            render: (_, m) => (
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                className="full-width"
                placeholder={t('console.svc.materials.certificatePlaceholder')}
                value={m.certificateType ?? undefined}
                disabled={readOnly}
                loading={certs.isLoading}
                onChange={(v) => set(m._i, { certificateType: v ?? null })}
                options={(certs.data ?? []).map((c) => ({ value: c.name, label: c.name }))}
              />
            ),
          },
          {
            title: '',
            key: 'remove',
            width: 48,
            render: (_, m) => (
              <Tooltip title={!m.upload && !m.certificateType ? t('console.svc.materials.needOne') : t('console.svc.c.remove')}>
                <Button type="text" danger icon={<DeleteOutlined />} disabled={readOnly} onClick={() => onChange(value.filter((_, j) => j !== m._i))} aria-label={t('console.svc.c.remove')} />
              </Tooltip>
            ),
          },
        ]}
        rowClassName={(m) => (!m.upload && !m.certificateType ? 'row-invalid' : '')}
      />
      {!readOnly && (
        <Button
          type="dashed"
          block
          icon={<PlusOutlined />}
          className="add-below"
          onClick={() => onChange([...value, { key: `material${value.length + 1}`, name: '', required: true, upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: null }])}
          data-testid="add-material"
        >
          {t('console.svc.materials.add')}
        </Button>
      )}
    </div>
  );
}
