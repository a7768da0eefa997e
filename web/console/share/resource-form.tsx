// The catalogue fields of a resource with an editable items table: used to catalogue a new resource
// and to edit a draft (or open the next version of a published one).
import { Button, Checkbox, Col, Form, Input, Row, Select, Table, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import { BASIC_KINDS, CATEGORIES, FORMATS, GRADES, ITEM_TYPES, OPENING_TYPES, PERSONAL_KINDS, SHARING_METHODS, SHARING_TYPES, UPDATE_CYCLES, type DataItem, type ResourceFields, type Subsystem } from './catalogue-types';

const c = 'console.share.cat';
const ITEM_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export type ResourceFormValues = ResourceFields & { note?: string; providerMemberId?: string };

function useOptions(group: string, values: readonly string[]) {
  const { t } = useTranslation();
  return values.map((v) => ({ value: v, label: t(`${c}.${group}.${v}`) }));
}

function ItemsEditor({ form }: { form: FormInstance<ResourceFormValues> }) {
  const { t } = useTranslation();
  const types = useOptions('itemType', ITEM_TYPES);
  const personal = useOptions('personal', PERSONAL_KINDS);
  return (
    <Form.List name="items">
      {(fields, { add, remove }) => (
        <>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            data-testid="items-editor"
            columns={[
              {
                title: t(`${c}.item.name`),
                width: 170,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }, { pattern: ITEM_NAME, message: t(`${c}.item.namePattern`) }]}>
                    <Input size="small" autoComplete="off" />
                  </Form.Item>
                ),
              },
              {
                title: t(`${c}.item.label`),
                render: (_, f) => (
                  <Form.Item name={[f.name, 'label']} noStyle rules={[{ required: true }]}>
                    <Input size="small" autoComplete="off" />
                  </Form.Item>
                ),
              },
              {
                title: t(`${c}.item.type`),
                width: 110,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'type']} noStyle rules={[{ required: true }]}>
                    <Select size="small" options={types} popupMatchSelectWidth={false} />
                  </Form.Item>
                ),
              },
              ...(['key', 'required', 'change'] as const).map((flag) => ({
                title: t(`${c}.item.${flag}`),
                width: 70,
                align: 'center' as const,
                render: (_: unknown, f: { name: number }) => (
                  <Form.Item name={[f.name, flag]} noStyle valuePropName="checked">
                    <Checkbox />
                  </Form.Item>
                ),
              })),
              {
                title: t(`${c}.item.personal`),
                width: 120,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'personal']} noStyle>
                    <Select size="small" allowClear options={personal} popupMatchSelectWidth={false} />
                  </Form.Item>
                ),
              },
              { width: 40, render: (_, f) => <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" /> },
            ]}
          />
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', label: '', type: 'string' } satisfies DataItem)} style={{ marginTop: 8 }} data-testid="add-item">
            {t(`${c}.item.add`)}
          </Button>
          <Form.Item noStyle shouldUpdate>
            {() => {
              const errs = form.getFieldsError().filter((e) => e.name[0] === 'items' && e.errors.length);
              return errs.length ? <div className="ant-form-item-explain-error">{errs[0].errors[0]}</div> : null;
            }}
          </Form.Item>
        </>
      )}
    </Form.List>
  );
}

/** The form body (the caller wraps it in a FormModal). `providerMemberId` picks whose subsystems to offer. */
export function ResourceFormFields({ form, providerMemberId, withNote }: { form: FormInstance<ResourceFormValues>; providerMemberId?: string; withNote?: boolean }) {
  const { t } = useTranslation();
  const category = Form.useWatch('category', form);
  const sharing = Form.useWatch('sharingType', form);
  const subsystems = useQuery({
    queryKey: ['share-subsystems', providerMemberId],
    queryFn: () => api.get<Page<Subsystem>>('/api/share/subsystems', { memberId: providerMemberId, limit: 200 }),
    enabled: !!providerMemberId,
  });
  return (
    <>
      <Row gutter={12}>
        <Col span={16}>
          <Form.Item name="name" label={t(`${c}.f.name`)} rules={[{ required: true }, { max: 200 }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="grade" label={t(`${c}.f.grade`)} rules={[{ required: true }]}>
            <Select options={useOptions('grade', GRADES)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="summary" label={t(`${c}.f.summary`)} rules={[{ max: 4000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="category" label={t(`${c}.f.category`)} rules={[{ required: true }]}>
            <Select options={useOptions('category', CATEGORIES)} onChange={(v) => v !== 'basic' && form.setFieldValue('basicKind', null)} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="basicKind" label={t(`${c}.f.basicKind`)} rules={[{ required: category === 'basic' }]}>
            <Select allowClear disabled={category !== 'basic'} options={useOptions('basicKind', BASIC_KINDS)} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="format" label={t(`${c}.f.format`)} rules={[{ required: true }]}>
            <Select options={useOptions('format', FORMATS)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="classification" label={t(`${c}.f.classification`)} rules={[{ max: 300 }]}>
        <Input placeholder="部门信息资源/民政/殡葬管理" autoComplete="off" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item name="sharingType" label={t(`${c}.f.sharingType`)} rules={[{ required: true }]}>
            <Select options={useOptions('sharing', SHARING_TYPES)} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="sharingMethod" label={t(`${c}.f.sharingMethod`)} rules={[{ required: true }]}>
            <Select options={useOptions('method', SHARING_METHODS)} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="openingType" label={t(`${c}.f.openingType`)} rules={[{ required: true }]}>
            <Select options={useOptions('opening', OPENING_TYPES)} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="updateCycle" label={t(`${c}.f.updateCycle`)} rules={[{ required: true }]}>
            <Select options={useOptions('cycle', UPDATE_CYCLES)} />
          </Form.Item>
        </Col>
      </Row>
      {sharing === 'conditional' && (
        <Form.Item name="sharingCondition" label={t(`${c}.f.sharingCondition`)} rules={[{ max: 2000 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="legalBasis" label={t(`${c}.f.legalBasis`)} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="providerSubsystemId" label={t(`${c}.f.subsystem`)}>
            <Select allowClear loading={subsystems.isFetching} options={(subsystems.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="relatedCodes" label={t(`${c}.f.relatedCodes`)}>
            <Select mode="tags" tokenSeparators={[',', ' ']} placeholder="370200-MZJ-00001" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t(`${c}.f.items`)} required>
        <ItemsEditor form={form} />
      </Form.Item>
      {withNote && (
        <Form.Item name="note" label={t(`${c}.res.note`)} rules={[{ max: 500 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      )}
    </>
  );
}

/** The body sent to the API: empty optional texts as null, item flags only when set. */
export function toResourceBody(v: ResourceFormValues): ResourceFormValues {
  const out: ResourceFormValues = {
    ...v,
    summary: v.summary ?? '',
    classification: v.classification ?? '',
    basicKind: v.category === 'basic' ? (v.basicKind ?? null) : null,
    sharingCondition: v.sharingCondition?.trim() || null,
    legalBasis: v.legalBasis?.trim() || null,
    providerSubsystemId: v.providerSubsystemId ?? null,
    relatedCodes: v.relatedCodes ?? [],
    items: (v.items ?? []).map((i) => ({
      name: i.name,
      label: i.label,
      type: i.type,
      ...(i.key ? { key: true } : {}),
      ...(i.required ? { required: true } : {}),
      ...(i.change ? { change: true } : {}),
      ...(i.personal ? { personal: i.personal } : {}),
    })),
  };
  if (!out.note) delete out.note;
  if (!out.providerMemberId) delete out.providerMemberId;
  return out;
}
