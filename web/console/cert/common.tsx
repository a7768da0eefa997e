// Pieces the certificates pages share: the status tag, the types query and the issue form that is
// generated from a type's field definitions.
import { useMemo, useState } from 'react';
import { Alert, Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Row, Select, Switch, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api } from '../../shared/api';
import { fieldOf } from '../../shared/errors';
import { useLocale, useSave } from '../hooks';
import type { CertDetail, CertStatus, CertType, FieldDef } from './types';

export const c = 'console.cert';
const STATUS_COLOURS: Record<CertStatus, string> = { valid: 'green', suspended: 'orange', revoked: 'red' };

export function CertStatusTag({ status, expired }: { status: CertStatus; expired?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={STATUS_COLOURS[status]} data-testid="cert-status">
        {t(`${c}.status.${status}`)}
      </Tag>
      {expired && <Tag>{t(`${c}.status.expired`)}</Tag>}
    </>
  );
}

export function useCertTypes() {
  return useQuery({ queryKey: ['cert-types'], queryFn: () => api.get<{ items: CertType[] }>('/api/cert/types'), staleTime: 60_000 });
}

export function typeLabel(ty: Pick<CertType, 'nameZh' | 'nameEn'>, locale: string) {
  return locale === 'en' ? ty.nameEn : ty.nameZh;
}

export function fieldLabel(f: FieldDef, locale: string) {
  return locale === 'en' ? f.nameEn : f.nameZh;
}

type FormValues = Record<string, unknown>;

function FieldInput({ f }: { f: FieldDef }) {
  const { t } = useTranslation();
  if (f.type === 'date') return <DatePicker style={{ width: '100%' }} />;
  if (f.type === 'number') return <InputNumber style={{ width: '100%' }} />;
  if (f.type === 'boolean') return <Switch checkedChildren={t(`${c}.issue.yes`)} unCheckedChildren={t(`${c}.issue.no`)} />;
  return <Input maxLength={1000} />;
}

const ymd = (v: unknown) => (dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : undefined);

/** The issue dialog: the type picks which fields the form shows; a 422 marks the fields it names. */
export function IssueModal({ open, onClose, onIssued }: { open: boolean; onClose: () => void; onIssued: (d: CertDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const types = useCertTypes();
  const [form] = Form.useForm<FormValues>();
  const [typeId, setTypeId] = useState<string | undefined>();
  const issuable = useMemo(() => (types.data?.items ?? []).filter((x) => x.canIssue), [types.data]);
  const type = issuable.find((x) => x.id === typeId);
  const save = useSave(
    async (v: FormValues) => {
      const fields: Record<string, unknown> = {};
      for (const f of type?.fields ?? []) {
        const raw = v[`f_${f.key}`];
        if (raw === undefined || raw === null || raw === '') continue;
        fields[f.key] = f.type === 'date' ? ymd(raw) : raw;
      }
      const body = {
        typeId,
        number: v.number,
        holderName: v.holderName,
        holderCode: String(v.holderCode ?? '').trim().toUpperCase(),
        ...(ymd(v.issuedOn) ? { issuedOn: ymd(v.issuedOn) } : {}),
        ...(ymd(v.validFrom) ? { validFrom: ymd(v.validFrom) } : {}),
        validUntil: ymd(v.validUntil) ?? null,
        ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
        fields,
      };
      try {
        return await api.post<CertDetail>('/api/cert/certificates', body);
      } catch (err) {
        // Put each problem next to its field; the notification still says what went wrong.
        if (err instanceof ApiError && err.problem.errors?.length) {
          form.setFields(
            err.problem.errors.map((e) => {
              const path = e.path.replace(/^\/body\//, '');
              const name = path.startsWith('fields/') ? `f_${path.slice(7)}` : fieldOf(e.path);
              return { name, errors: [e.message] };
            }),
          );
        }
        throw err;
      }
    },
    {
      refresh: 'cert-certificates',
      ok: (d) => t(`${c}.issue.done`, { identifier: d.identifier }),
      then: (d) => {
        onIssued(d);
        form.resetFields();
      },
    },
  );
  return (
    <Modal open={open} title={t(`${c}.issue.title`)} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} width={760} destroyOnHidden okButtonProps={{ disabled: !type, ...({ 'data-testid': 'cert-issue-ok' } as object) }}>
      <Form<FormValues> form={form} layout="vertical" preserve={false} onFinish={(v) => save.mutate(v)}>
        <Form.Item label={t(`${c}.types.name`)} required>
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t(`${c}.issue.chooseType`)}
            value={typeId}
            onChange={setTypeId}
            options={issuable.map((x) => ({ value: x.id, label: `${typeLabel(x, locale)}（${x.departmentName}）` }))}
            data-testid="cert-issue-type"
          />
        </Form.Item>
        {type && (
          <>
            <Alert type="info" showIcon message={t(`${c}.issue.defaultsHelp`)} style={{ marginBottom: 12 }} />
            <Divider titlePlacement="start">{t(`${c}.issue.core`)}</Divider>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="number" label={t(`${c}.f.number`)} rules={[{ required: true }]}>
                  <Input maxLength={64} data-testid="cert-f-number" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="holderName" label={t(`${c}.f.holder`)} rules={[{ required: true }]}>
                  <Input maxLength={200} data-testid="cert-f-holderName" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="holderCode" label={t(`${c}.f.holderCode`)} rules={[{ required: true }]} extra={t(type.holderKind === 'person' ? `${c}.issue.holderCodeHelpPerson` : `${c}.issue.holderCodeHelpOrg`)}>
                  <Input maxLength={18} data-testid="cert-f-holderCode" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="jurisdiction" label={t(`${c}.f.jurisdiction`)}>
                  <Input maxLength={6} placeholder="370200" />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="issuedOn" label={t(`${c}.f.issuedOn`)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="validFrom" label={t(`${c}.f.validFrom`)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="validUntil" label={t(`${c}.f.validUntil`)} extra={t(`${c}.f.longTermHelp`)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Divider titlePlacement="start">{t(`${c}.issue.typeFields`)}</Divider>
            <Row gutter={12}>
              {type.fields.map((f) => (
                <Col span={12} key={f.key}>
                  <Form.Item
                    name={`f_${f.key}`}
                    label={fieldLabel(f, locale)}
                    valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
                    // name/ID fields equal to the holder's are filled by the server when left empty
                    rules={f.required && !['name', 'idNumber', 'creditCode', 'enterpriseName', 'institutionName', 'owner'].includes(f.key) ? [{ required: true }] : []}
                  >
                    <FieldInput f={f} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        )}
      </Form>
    </Modal>
  );
}
