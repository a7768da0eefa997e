// 双公示: templates, upload with validation before acceptance (report per row and field), publish
// the valid rows or discard; one record by form; the batches and the published records.
import { useMemo, useState } from 'react';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Popconfirm, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography, Upload } from 'antd';
import { CheckCircleOutlined, DeleteOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { DataTable, FilterSelect, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { QueryError } from '../components/QueryError';
import { useLocale, useNotify, useSave } from '../hooks';
import { KindTag, RecordFields, RecordStatusTag, day } from '../credit/common';
import { PENALTY_CATEGORIES, fieldName, fieldsOf, recordSummary, type FieldDef } from '../../shared/credit/fields';
import type { Batch, CreditFields, CreditKind, CreditRecord, RecordStatus, RowProblem } from '../../shared/credit/types';
import { uploadFile } from '../../shared/credit/upload';
import '../credit/credit.css';

const KINDS: CreditKind[] = ['licence', 'penalty'];

const isPerson = (r: CreditRecord) => (r.kind === 'licence' ? r.record.XK_XDR_LB : r.record.CF_XDR_LB) === '自然人';
const maskId = (v: string) => (v.length > 8 ? `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}` : v);
const STATUSES: RecordStatus[] = ['published', 'expired', 'repaired'];

function KindSwitch({ value, onChange }: { value: CreditKind; onChange: (k: CreditKind) => void }) {
  const { t } = useTranslation();
  return (
    <Segmented<CreditKind>
      value={value}
      onChange={onChange}
      options={KINDS.map((k) => ({ value: k, label: t(`credit.kind.${k}`) }))}
      aria-label={t('credit.publish.kind')}
      data-testid="kind-switch"
    />
  );
}

/** What publishing or discarding a batch answers (discard sends no count). */
type BatchDecision = ResponseOf<'/api/credit/batches/{id}/discard', 'post'> & Partial<ResponseOf<'/api/credit/batches/{id}/publish', 'post'>>;

/** The rows of a problem list grouped by row number, one table line per bad field. */
interface ProblemLine extends RowProblem {
  key: string;
  rowSpan: number;
}

function groupProblems(items: RowProblem[]): ProblemLine[] {
  const sorted = [...items].sort((a, b) => a.row - b.row);
  return sorted.map((p, i) => {
    const first = i === 0 || sorted[i - 1].row !== p.row;
    let span = 0;
    if (first) for (let j = i; j < sorted.length && sorted[j].row === p.row; j++) span++;
    return { ...p, key: `${p.row}-${p.field}-${i}`, rowSpan: span };
  });
}

/** The validation report of one batch: totals, the bad rows and fields, download, publish or discard. */
export function BatchReport({ batch, onDone }: { batch: Batch; onDone?: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const problems = useQuery({
    queryKey: ['credit', 'problems', batch.id, page],
    queryFn: () => api.get<ResponseOf<'/api/credit/batches/{id}/problems'>>(`/api/credit/batches/${batch.id}/problems`, { limit: page.pageSize, offset: (page.current - 1) * page.pageSize }),
    enabled: batch.invalid > 0,
  });
  const current = useQuery({ queryKey: ['credit', 'batch', batch.id], queryFn: () => api.get<Batch>(`/api/credit/batches/${batch.id}`), initialData: batch });
  const b = current.data ?? batch;
  const act = useSave((op: 'publish' | 'discard') => api.post<BatchDecision>(`/api/credit/batches/${batch.id}/${op}`), {
    refresh: 'credit',
    ok: (r, op) => (op === 'publish' ? t('credit.publish.publishedN', { count: r.published ?? b.valid }) : t('credit.publish.discarded')),
    then: () => onDone?.(),
  });
  const lines = useMemo(() => groupProblems(problems.data?.items ?? b.problems ?? []), [problems.data, b.problems]);
  const badRows = new Set(lines.map((l) => l.row)).size;
  const open = b.state === 'validated';

  return (
    <div className="credit-report" data-testid="batch-report">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('credit.publish.total')} value={b.total} data-testid="report-total" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('credit.publish.valid')} value={b.valid} styles={{ content: { color: '#389e0d' } }} data-testid="report-valid" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('credit.publish.invalid')} value={b.invalid} styles={{ content: b.invalid ? { color: '#cf1322' } : undefined }} data-testid="report-invalid" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('credit.publish.state')} valueRender={() => <Tag color={b.state === 'published' ? 'success' : b.state === 'discarded' ? 'default' : 'processing'}>{t(`credit.batchState.${b.state}`)}</Tag>} />
        </Col>
      </Row>
      {b.invalid > 0 ? (
        <Alert type="warning" showIcon className="credit-report-alert" title={t('credit.publish.invalidAlert', { count: b.invalid })} description={t('credit.publish.invalidHelp')} />
      ) : (
        <Alert type="success" showIcon className="credit-report-alert" title={t('credit.publish.allValid', { count: b.total })} />
      )}
      <Space wrap className="credit-report-actions">
        <Button icon={<FileExcelOutlined />} href={`/api/credit/batches/${b.id}/report?format=xlsx`} download data-testid="report-xlsx">
          {t('credit.publish.reportXlsx')}
        </Button>
        <Button icon={<DownloadOutlined />} href={`/api/credit/batches/${b.id}/report?format=csv`} download>
          {t('credit.publish.reportCsv')}
        </Button>
        {open && (
          <>
            <Popconfirm title={t('credit.publish.publishConfirm', { count: b.valid })} onConfirm={() => act.mutate('publish')} okText={t('credit.publish.publishOk')}>
              <Button type="primary" icon={<SendOutlined />} disabled={b.valid === 0} loading={act.isPending && act.variables === 'publish'} data-testid="publish-valid">
                {t('credit.publish.publishN', { count: b.valid })}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('credit.publish.discardConfirm')} onConfirm={() => act.mutate('discard')} okButtonProps={{ danger: true }}>
              <Button danger icon={<DeleteOutlined />} loading={act.isPending && act.variables === 'discard'} data-testid="discard-batch">
                {t('credit.publish.discard')}
              </Button>
            </Popconfirm>
          </>
        )}
      </Space>
      {b.invalid > 0 && (
        <>
          <Typography.Title level={5} className="credit-report-title">
            {t('credit.publish.problemsTitle', { rows: badRows, count: problems.data?.total ?? lines.length })}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('credit.publish.rowHelp')}</Typography.Paragraph>
          <QueryError error={problems.error} onRetry={() => void problems.refetch()} />
          <Table<ProblemLine>
            size="small"
            bordered
            rowKey="key"
            data-testid="problems-table"
            loading={problems.isFetching}
            dataSource={lines}
            rowClassName={() => 'problem-line'}
            pagination={{
              current: page.current,
              pageSize: page.pageSize,
              total: problems.data?.total ?? lines.length,
              showTotal: (n) => t('credit.publish.problemsTotal', { count: n }),
              onChange: (current, pageSize) => setPage({ current, pageSize }),
            }}
            columns={[
              {
                title: t('credit.publish.row'),
                dataIndex: 'row',
                width: 90,
                onCell: (l) => ({ rowSpan: l.rowSpan }),
                render: (v: number) => <strong data-testid={`problem-row-${v}`}>{t('credit.publish.rowN', { n: v })}</strong>,
              },
              {
                title: t('credit.publish.field'),
                dataIndex: 'field',
                width: 300,
                render: (v: string) => (
                  <span className="bad-field" data-testid="bad-field">
                    <Tag color="error">{v || '—'}</Tag>
                    {v ? fieldName(v, locale) : ''}
                  </span>
                ),
              },
              { title: t('credit.publish.problem'), dataIndex: 'message', render: (v: string, l) => <Typography.Text type="danger" title={l.code}>{v}</Typography.Text> },
            ]}
          />
        </>
      )}
      {act.error != null && <Alert type="error" showIcon title={errorMessage(act.error, t)} />}
      {!open && b.state === 'published' && <Alert type="success" showIcon icon={<CheckCircleOutlined />} title={t('credit.publish.batchPublished', { count: b.published ?? b.valid })} />}
    </div>
  );
}

function UploadPane() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<CreditKind>('penalty');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [batch, setBatch] = useState<Batch | null>(null);

  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    setBatch(null);
    try {
      const b = await uploadFile<Batch>(`/api/credit/batches?kind=${kind}`, file);
      setBatch(b);
      void qc.invalidateQueries({ queryKey: ['credit'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" size="small" title={t('credit.publish.step1')}>
        <Space wrap align="center">
          <KindSwitch value={kind} onChange={(k) => { setKind(k); setBatch(null); }} />
          <Button icon={<DownloadOutlined />} href={`/api/credit/templates/${kind}?format=xlsx`} download data-testid="template-xlsx">
            {t('credit.publish.templateXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={`/api/credit/templates/${kind}?format=csv`} download data-testid="template-csv">
            {t('credit.publish.templateCsv')}
          </Button>
          <Button icon={<DownloadOutlined />} href={`/api/credit/templates/${kind}?format=xlsx&headers=names`} download>
            {t('credit.publish.templateNames')}
          </Button>
        </Space>
        <p className="muted-help">{t('credit.publish.templateHelp')}</p>
      </Card>
      <Card variant="borderless" size="small" title={t('credit.publish.step2', { kind: t(`credit.kind.${kind}`) })}>
        <Upload.Dragger
          accept=".csv,.xlsx"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
          data-testid="upload-dragger"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{busy ? t('credit.publish.validating') : t('credit.publish.dropHere')}</p>
          <p className="ant-upload-hint">{t('credit.publish.dropHint')}</p>
        </Upload.Dragger>
        {error ? <Alert type="error" showIcon className="credit-report-alert" title={t('credit.publish.uploadFailed')} description={errorMessage(error, t)} /> : null}
      </Card>
      {batch && (
        <Card variant="borderless" size="small" title={t('credit.publish.step3', { name: batch.fileName })}>
          <BatchReport batch={batch} />
        </Card>
      )}
    </Space>
  );
}

/** The control for one field; Form.Item hands it value, onChange and id, passed straight on. */
function FieldInput({ f, locale, ...control }: { f: FieldDef; locale: string; id?: string; value?: unknown; onChange?: (v: unknown) => void; 'aria-invalid'?: boolean }) {
  const { t } = useTranslation();
  // Each antd control has its own value type; Form.Item keeps them apart per field.
  const p = control as Record<string, never>;
  if (f.type === 'date') return <DatePicker {...p} style={{ width: '100%' }} placeholder="YYYY-MM-DD" format="YYYY-MM-DD" />;
  if (f.type === 'amount') return <InputNumber {...p} style={{ width: '100%' }} min={0} step={0.01} stringMode addonAfter={t('credit.publish.wanYuan')} />;
  if (f.type === 'longtext') return <Input.TextArea {...p} autoSize={{ minRows: 2, maxRows: 5 }} />;
  if (f.code === 'CF_CFLB') return <AutoComplete {...p} options={PENALTY_CATEGORIES.map((c) => ({ value: c }))} filterOption />;
  if (f.type === 'select')
    return (
      <Select
        {...p}
        allowClear
        options={(f.options ?? []).map((o) => ({ value: o, label: f.code === 'XK_ZT' ? `${o} ${o === '1' ? t('credit.publish.ztValid') : t('credit.publish.ztInvalid')}` : o }))}
        placeholder={locale === 'en' ? f.en : f.zh}
      />
    );
  return <Input {...p} />;
}

/** Where the form's groups begin: the subject, the decision, the authority and source. */
const SECTION_STARTS: Record<string, string> = {
  XK_XDR_MC: 'subject',
  CF_XDR_MC: 'subject',
  XK_XKWS: 'decision',
  CF_WSH: 'decision',
  XK_XKJG: 'authority',
  CF_CFJG: 'authority',
};

type FormValues = Record<string, string | number | Dayjs | null | undefined>;

function RecordForm() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [kind, setKind] = useState<CreditKind>('penalty');
  const [form] = Form.useForm<FormValues>();
  const [created, setCreated] = useState<CreditRecord | null>(null);
  const [formError, setFormError] = useState('');
  const fields = fieldsOf(kind);
  const notify = useNotify();
  const qc = useQueryClient();
  // Not useSave: a 422 belongs on the fields it names, not in a toast.
  const save = useMutation({
    mutationFn: (record: CreditFields) => api.post<CreditRecord>('/api/credit/records', { kind, record }),
    onSuccess: (r) => {
      notify.ok(t('credit.publish.recordPublished'));
      void qc.invalidateQueries({ queryKey: ['credit'] });
      setCreated(r);
      form.resetFields();
    },
    onError: (e) => {
      if (!(e instanceof ApiError && e.status === 422 && e.problem.errors?.length)) return notify.fail(e);
      const byField = new Map<string, string[]>();
      const other: string[] = [];
      for (const p of e.problem.errors) {
        const m = /^\/record\/([A-Z_]+)/.exec(p.path ?? '');
        if (m && fields.some((f) => f.code === m[1])) byField.set(m[1], [...(byField.get(m[1]) ?? []), p.message]);
        else other.push(p.message);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      setFormError(other.length ? other.join('；') : t('credit.publish.fixFields', { count: byField.size }));
    },
  });

  const submit = (values: FormValues) => {
    setFormError('');
    const record: CreditFields = {};
    for (const f of fields) {
      const v = values[f.code];
      if (v === undefined || v === null || v === '') continue;
      record[f.code] = dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : String(v).trim();
    }
    save.mutate(record);
  };

  return (
    <Card variant="borderless" size="small">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <KindSwitch
          value={kind}
          onChange={(k) => {
            setKind(k);
            setCreated(null);
            setFormError('');
            form.resetFields();
          }}
        />
        <p className="muted-help">{t('credit.publish.formHelp')}</p>
        {created && (
          <Alert
            type="success"
            showIcon
            closable
            onClose={() => setCreated(null)}
            title={t('credit.publish.recordPublishedNamed', { name: recordSummary(created.kind, created.record).name, doc: recordSummary(created.kind, created.record).docNo })}
            description={created.publicationEnds ? t('credit.publish.publicationEnds', { date: day(created.publicationEnds) }) : undefined}
          />
        )}
        {formError && <Alert type="error" showIcon title={formError} data-testid="form-error" />}
        <Form<FormValues> form={form} layout="vertical" onFinish={submit} key={kind} data-testid="record-form" scrollToFirstError>
          <Row gutter={16}>
            {fields.flatMap((f) => [
              ...(SECTION_STARTS[f.code]
                ? [
                    <Col key={`section-${f.code}`} span={24}>
                      <Divider titlePlacement="start" plain className="form-section">
                        {t(`credit.publish.section.${SECTION_STARTS[f.code]}`)}
                      </Divider>
                    </Col>,
                  ]
                : []),
              <Col key={f.code} xs={24} md={f.type === 'longtext' ? 24 : 12} xl={f.type === 'longtext' ? 24 : 8}>
                <Form.Item
                  name={f.code}
                  label={
                    <span>
                      {locale === 'en' ? f.en : f.zh} <code className="muted-code">{f.code}</code>
                    </span>
                  }
                  rules={f.need === 'M' ? [{ required: true, message: t('credit.publish.required') }] : undefined}
                  extra={f.when ? (locale === 'en' ? f.when[1] : f.when[0]) : undefined}
                  getValueProps={f.type === 'date' ? (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : v }) : undefined}
                >
                  <FieldInput f={f} locale={locale} />
                </Form.Item>
              </Col>,
            ])}
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="record-submit">
              {t('credit.publish.validateAndPublish')}
            </Button>
            <Button onClick={() => form.resetFields()}>{t('action.reset')}</Button>
          </Space>
        </Form>
      </Space>
    </Card>
  );
}

function BatchList() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [kind, setKind] = useState<CreditKind | undefined>();
  const [open, setOpen] = useState<Batch | null>(null);
  const list = usePagedList<Batch>(['credit', 'batches'], '/api/credit/batches', { kind });
  return (
    <Card variant="borderless" size="small">
      <Toolbar>
        <FilterSelect<CreditKind> placeholder={t('credit.publish.kind')} value={kind} onChange={setKind} width={140} options={KINDS.map((k) => ({ value: k, label: t(`credit.kind.${k}`) }))} />
      </Toolbar>
      <DataTable<Batch>
        {...list}
        rowKey="id"
        size="middle"
        data-testid="batches-table"
        columns={[
          { title: t('credit.publish.fileName'), dataIndex: 'fileName', render: (v: string, b) => <RowButton onClick={() => setOpen(b)}>{v}</RowButton> },
          { title: t('credit.publish.kind'), dataIndex: 'kind', width: 110, render: (k: CreditKind) => <KindTag kind={k} /> },
          { title: t('credit.publish.total'), dataIndex: 'total', width: 90 },
          { title: t('credit.publish.valid'), dataIndex: 'valid', width: 90 },
          { title: t('credit.publish.invalid'), dataIndex: 'invalid', width: 90, render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : 0) },
          {
            title: t('credit.publish.state'),
            dataIndex: 'state',
            width: 110,
            render: (s: string) => <Tag color={s === 'published' ? 'success' : s === 'discarded' ? 'default' : 'processing'}>{t(`credit.batchState.${s}`, { defaultValue: s })}</Tag>,
          },
          { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale, false) },
          ...actionsColumn<Batch>(t, (b) => <RowButton onClick={() => setOpen(b)}>{t('credit.publish.openReport')}</RowButton>, { width: 110 }),
        ]}
      />
      <Drawer open={!!open} onClose={() => setOpen(null)} width={920} title={open ? `${open.fileName} · ${t(`credit.kind.${open.kind}`)}` : ''} destroyOnHidden>
        {open && <BatchReport batch={open} />}
      </Drawer>
    </Card>
  );
}

function RecordList() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [kind, setKind] = useState<CreditKind | undefined>();
  const [status, setStatus] = useState<RecordStatus | undefined>();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<CreditRecord | null>(null);
  const list = usePagedList<CreditRecord>(['credit', 'records'], '/api/credit/records', { kind, status, q });
  return (
    <Card variant="borderless" size="small">
      <Toolbar>
        <FilterSelect<CreditKind> placeholder={t('credit.publish.kind')} value={kind} onChange={setKind} width={130} options={KINDS.map((k) => ({ value: k, label: t(`credit.kind.${k}`) }))} />
        <FilterSelect<RecordStatus> placeholder={t('credit.publish.status')} value={status} onChange={setStatus} width={130} options={STATUSES.map((s) => ({ value: s, label: t(`credit.recordStatus.${s}`) }))} />
        <Input.Search allowClear placeholder={t('credit.publish.searchRecords')} onSearch={(v) => setQ(v.trim())} style={{ width: 280 }} aria-label={t('credit.publish.searchRecords')} />
      </Toolbar>
      <DataTable<CreditRecord>
        {...list}
        rowKey="id"
        size="middle"
        scroll={{ x: 1100 }}
        data-testid="records-table"
        columns={[
          { title: t('credit.publish.kind'), dataIndex: 'kind', width: 100, render: (k: CreditKind) => <KindTag kind={k} /> },
          {
            title: t('credit.publish.subject'),
            key: 'subject',
            render: (_, r) => {
              const s = recordSummary(r.kind, r.record);
              return (
                <div className="cell-stack">
                  <span>{r.subjectName ?? s.name}</span>
                  {/* A list has no need of a person's full ID number; the detail shows the record as published. */}
                  <code className="muted-code">{isPerson(r) ? maskId(r.subjectCode ?? s.code) : (r.subjectCode ?? s.code)}</code>
                </div>
              );
            },
          },
          { title: t('credit.publish.docNo'), key: 'doc', width: 220, render: (_, r) => r.documentNo ?? recordSummary(r.kind, r.record).docNo },
          { title: t('credit.publish.decided'), key: 'decided', width: 120, render: (_, r) => day(r.decisionDate ?? recordSummary(r.kind, r.record).decided) },
          { title: t('credit.publish.status'), dataIndex: 'status', width: 100, render: (s: RecordStatus) => <RecordStatusTag status={s} /> },
          {
            title: t('credit.publish.publicationEndsCol'),
            dataIndex: 'publicationEnds',
            width: 130,
            render: (v: string | null, r) => (r.kind === 'penalty' ? <Tooltip title={r.severity ? t(`credit.severity.${r.severity}`, { defaultValue: r.severity }) : undefined}>{day(v)}</Tooltip> : '—'),
          },
          ...actionsColumn<CreditRecord>(t, (r) => <RowButton onClick={() => setOpen(r)}>{t('credit.publish.details')}</RowButton>, { width: 90 }),
        ]}
      />
      <Drawer open={!!open} onClose={() => setOpen(null)} width={720} title={open ? recordSummary(open.kind, open.record).name : ''} destroyOnHidden>
        {open && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <KindTag kind={open.kind} />
              <RecordStatusTag status={open.status} />
              {open.publicationEnds && <span>{t('credit.publish.publicationEnds', { date: day(open.publicationEnds) })}</span>}
            </Space>
            <RecordFields record={open} locale={locale} />
          </Space>
        )}
      </Drawer>
    </Card>
  );
}

export default function CreditPublish() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('upload');
  return (
    <div className="page">
      <Typography.Title level={4} className="page-title">
        {t('credit.publish.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('credit.publish.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'upload', label: t('credit.publish.tabUpload'), children: <UploadPane /> },
          { key: 'form', label: t('credit.publish.tabForm'), children: <RecordForm /> },
          { key: 'batches', label: t('credit.publish.tabBatches'), children: <BatchList /> },
          { key: 'records', label: t('credit.publish.tabRecords'), children: <RecordList /> },
        ]}
      />
    </div>
  );
}
