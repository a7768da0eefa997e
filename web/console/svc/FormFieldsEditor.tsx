// The application form as data: each field's key, labels, type, required flag, validation, options and
// help, edited as a list, with a live preview of what applicants will see.
import { Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, Row, Select, Space, Switch, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../hooks';
import { FIELD_TYPES, text2, type FieldType, type FormDefinition, type FormField, type Text2 } from './types';

type Validation = NonNullable<FormField['validation']>;

/** Drops empty validation entries and fills a missing English text with the Chinese, as the server wants both. */
export function cleanForm(form: FormDefinition): FormDefinition {
  const both = (v: Text2 | undefined): Text2 | undefined => {
    const zh = v?.zh.trim() ?? '';
    const en = v?.en.trim() ?? '';
    if (!zh && !en) return undefined;
    return { zh: zh || en, en: en || zh };
  };
  return {
    fields: form.fields.map((f) => {
      const v: Validation = {};
      const src = f.validation ?? {};
      if (typeof src.min === 'number') v.min = src.min;
      if (typeof src.max === 'number') v.max = src.max;
      if (src.pattern?.trim() && f.type === 'text') v.pattern = src.pattern.trim();
      if (src.minDate && f.type === 'date') v.minDate = src.minDate;
      if (src.maxDate && f.type === 'date') v.maxDate = src.maxDate;
      if ((f.type === 'select' || f.type === 'checkbox') && src.options?.length) v.options = src.options.map((o) => ({ value: o.value.trim(), label: both(o.label) ?? { zh: o.value, en: o.value } }));
      const out: FormField = { key: f.key.trim(), label: both(f.label) ?? { zh: f.key, en: f.key }, type: f.type, required: !!f.required };
      if (Object.keys(v).length) out.validation = v;
      const help = both(f.help);
      if (help) out.help = help;
      return out;
    }),
  };
}

function FieldCard({ field, index, count, readOnly, onChange, onMove, onRemove }: { field: FormField; index: number; count: number; readOnly: boolean; onChange: (f: FormField) => void; onMove: (d: -1 | 1) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const v = field.validation ?? {};
  const setV = (patch: Partial<Validation>) => onChange({ ...field, validation: { ...v, ...patch } });
  const label = field.label ?? { zh: '', en: '' };
  const help = field.help ?? { zh: '', en: '' };
  const hasOptions = field.type === 'select' || field.type === 'checkbox';
  const hasRange = field.type === 'text' || field.type === 'number' || field.type === 'checkbox';
  const options = v.options ?? [];
  return (
    <Card
      size="small"
      className="field-card"
      data-testid={`field-card-${index}`}
      title={
        <Space>
          <span className="muted-code">{t('console.svc.form.fieldN', { n: index + 1 })}</span>
          <strong>{label.zh || field.key || '—'}</strong>
        </Space>
      }
      extra={
        !readOnly && (
          <Space size={0}>
            <Tooltip title={t('console.svc.form.moveUp')}>
              <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} aria-label={t('console.svc.form.moveUp')} />
            </Tooltip>
            <Tooltip title={t('console.svc.form.moveDown')}>
              <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === count - 1} onClick={() => onMove(1)} aria-label={t('console.svc.form.moveDown')} />
            </Tooltip>
            <Tooltip title={t('console.svc.c.remove')}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('console.svc.c.remove')} data-testid={`field-remove-${index}`} />
            </Tooltip>
          </Space>
        )
      }
    >
      <fieldset disabled={readOnly} className="plain-fieldset">
        <Row gutter={[12, 8]}>
          <Col span={8}>
            <div className="mini-label">{t('console.svc.form.key')}</div>
            <Input value={field.key} onChange={(e) => onChange({ ...field, key: e.target.value })} placeholder="applicantName" data-testid={`field-key-${index}`} />
          </Col>
          <Col span={8}>
            <div className="mini-label">{t('console.svc.form.labelZh')}</div>
            <Input value={label.zh} onChange={(e) => onChange({ ...field, label: { ...label, zh: e.target.value } })} data-testid={`field-label-zh-${index}`} />
          </Col>
          <Col span={8}>
            <div className="mini-label">{t('console.svc.form.labelEn')}</div>
            <Input value={label.en} onChange={(e) => onChange({ ...field, label: { ...label, en: e.target.value } })} data-testid={`field-label-en-${index}`} />
          </Col>
          <Col span={8}>
            <div className="mini-label">{t('console.svc.form.type')}</div>
            <Select<FieldType>
              className="full-width"
              value={field.type}
              disabled={readOnly}
              onChange={(type) => onChange({ ...field, type })}
              options={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`console.svc.fieldType.${ft}`) }))}
              data-testid={`field-type-${index}`}
            />
          </Col>
          <Col span={4}>
            <div className="mini-label">{t('console.svc.form.required')}</div>
            <Switch checked={!!field.required} disabled={readOnly} onChange={(required) => onChange({ ...field, required })} />
          </Col>
          {hasRange && (
            <>
              <Col span={6}>
                <div className="mini-label">{t('console.svc.form.min')}</div>
                <InputNumber className="full-width" value={v.min} onChange={(n) => setV({ min: n ?? undefined })} />
              </Col>
              <Col span={6}>
                <div className="mini-label">{t('console.svc.form.max')}</div>
                <InputNumber className="full-width" value={v.max} onChange={(n) => setV({ max: n ?? undefined })} />
              </Col>
            </>
          )}
          {field.type === 'date' && (
            <>
              <Col span={6}>
                <div className="mini-label">{t('console.svc.form.minDate')}</div>
                <Input placeholder="YYYY-MM-DD" value={v.minDate} onChange={(e) => setV({ minDate: e.target.value || undefined })} />
              </Col>
              <Col span={6}>
                <div className="mini-label">{t('console.svc.form.maxDate')}</div>
                <Input placeholder="YYYY-MM-DD" value={v.maxDate} onChange={(e) => setV({ maxDate: e.target.value || undefined })} />
              </Col>
            </>
          )}
          {field.type === 'text' && (
            <Col span={24}>
              <div className="mini-label">{t('console.svc.form.pattern')}</div>
              <Input value={v.pattern} onChange={(e) => setV({ pattern: e.target.value })} placeholder="\d{16,19}" className="mono" />
            </Col>
          )}
          {hasOptions && (
            <Col span={24}>
              <div className="mini-label">{t('console.svc.form.options')}</div>
              {options.map((o, i) => (
                <Space.Compact key={i} block className="option-row">
                  <Input style={{ width: '25%' }} placeholder={t('console.svc.form.optionValue')} value={o.value} onChange={(e) => setV({ options: options.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) })} />
                  <Input style={{ width: '35%' }} placeholder={t('console.svc.form.labelZh')} value={o.label.zh} onChange={(e) => setV({ options: options.map((x, j) => (j === i ? { ...x, label: { ...x.label, zh: e.target.value } } : x)) })} />
                  <Input style={{ width: '35%' }} placeholder={t('console.svc.form.labelEn')} value={o.label.en} onChange={(e) => setV({ options: options.map((x, j) => (j === i ? { ...x, label: { ...x.label, en: e.target.value } } : x)) })} />
                  <Button icon={<DeleteOutlined />} danger disabled={readOnly} onClick={() => setV({ options: options.filter((_, j) => j !== i) })} aria-label={t('console.svc.c.remove')} />
                </Space.Compact>
              ))}
              {!readOnly && (
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setV({ options: [...options, { value: `opt${options.length + 1}`, label: { zh: '', en: '' } }] })}>
                  {t('console.svc.form.addOption')}
                </Button>
              )}
            </Col>
          )}
          <Col span={12}>
            <div className="mini-label">{t('console.svc.form.helpZh')}</div>
            <Input value={help.zh} onChange={(e) => onChange({ ...field, help: { ...help, zh: e.target.value } })} />
          </Col>
          <Col span={12}>
            <div className="mini-label">{t('console.svc.form.helpEn')}</div>
            <Input value={help.en} onChange={(e) => onChange({ ...field, help: { ...help, en: e.target.value } })} />
          </Col>
        </Row>
      </fieldset>
    </Card>
  );
}

/** What an applicant sees: the fields rendered as a form (nothing is sent). */
export function FormPreview({ form }: { form: FormDefinition }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!form.fields.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.form.empty')} />;
  return (
    <Form layout="vertical" className="form-preview" data-testid="form-preview">
      {form.fields.map((f, i) => {
        const opts = (f.validation?.options ?? []).map((o) => ({ value: o.value, label: text2(o.label, locale) || o.value }));
        const control =
          f.type === 'number' ? <InputNumber className="full-width" min={f.validation?.min} max={f.validation?.max} />
          : f.type === 'date' ? <DatePicker className="full-width" />
          : f.type === 'select' ? <Select options={opts} />
          : f.type === 'checkbox' ? opts.length ? <Checkbox.Group options={opts} /> : <Checkbox>{text2(f.label, locale)}</Checkbox>
          : <Input maxLength={f.type === 'text' ? f.validation?.max : undefined} />;
        return (
          <Form.Item key={`${f.key}-${i}`} label={text2(f.label, locale) || f.key} required={f.required} extra={f.help ? text2(f.help, locale) : undefined}>
            {control}
          </Form.Item>
        );
      })}
    </Form>
  );
}

export function FormFieldsEditor({ value, onChange, readOnly }: { value: FormDefinition; onChange: (f: FormDefinition) => void; readOnly: boolean }) {
  const { t } = useTranslation();
  const fields = value.fields;
  const set = (next: FormField[]) => onChange({ fields: next });
  const move = (i: number, d: -1 | 1) => {
    const next = [...fields];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    set(next);
  };
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <Space orientation="vertical" size={12} className="full-width">
          {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.form.empty')} />}
          {fields.map((f, i) => (
            <FieldCard
              key={i}
              field={f}
              index={i}
              count={fields.length}
              readOnly={readOnly}
              onChange={(nf) => set(fields.map((x, j) => (j === i ? nf : x)))}
              onMove={(d) => move(i, d)}
              onRemove={() => set(fields.filter((_, j) => j !== i))}
            />
          ))}
          {!readOnly && (
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => set([...fields, { key: `field${fields.length + 1}`, label: { zh: '', en: '' }, type: 'text', required: false }])} data-testid="add-field">
              {t('console.svc.form.addField')}
            </Button>
          )}
        </Space>
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small" title={t('console.svc.form.preview')} className="preview-card">
          <FormPreview form={value} />
        </Card>
      </Col>
    </Row>
  );
}
