// The data tabs of a resource page: its dataset (row count, loads with live progress, file upload,
// rejected rows with a CSV download, a records preview), its quality (score, six dimensions, rules) and
// the objections raised on its records.
import { useState } from 'react';
import { Button, Card, Col, Descriptions, Drawer, Empty, Form, Input, Progress, Radio, Row, Select, Space, Statistic, Table, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ItemOf, ResponseOf } from '../../shared/api-types';
import { uploadFile } from '../../shared/credit/upload';
import { formatDateTime, formatNumber } from '../../shared/format';
import { DataTable, RowButton, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { QueryError } from '../components/QueryError';
import { useCan, useLocale, useNotify, useSave } from '../hooks';
import { ObjectionsTable } from '../pages/ShareObjections';
import type { Resource } from './catalogue-types';

const c = 'console.share.cat';
const DIMENSIONS = ['conformance', 'completeness', 'accuracy', 'consistency', 'timeliness', 'accessibility'] as const;

type Dataset = ResponseOf<'/api/share/resources/{id}/dataset'>;
type Load = ItemOf<'/api/share/loads'>;
type Rejected = ItemOf<'/api/share/loads/{id}/rejected'>;
type Rule = ItemOf<'/api/share/resources/{id}/quality-rules'>;

const LOAD_COLOUR: Record<string, string> = { queued: 'default', running: 'processing', succeeded: 'green', rejected: 'orange', failed: 'red' };

function RejectedDrawer({ load, onClose }: { load: Load | null; onClose: () => void }) {
  const { t } = useTranslation();
  const list = usePagedList<Rejected>(['share-rejected', load?.id], `/api/share/loads/${load?.id}/rejected`, {});
  return (
    <Drawer open={!!load} onClose={onClose} size={900} title={t(`${c}.ds.rejectedRows`)} extra={load && <Button href={`/api/share/loads/${load.id}/rejected.csv`}>{t(`${c}.ds.downloadCsv`)}</Button>}>
      {load && (
        <DataTable<Rejected>
          {...list}
          rowKey="rowNumber"
          size="small"
          columns={[
            { title: t(`${c}.ds.rowNumber`), dataIndex: 'rowNumber', width: 70 },
            { title: t(`${c}.ds.problems`), key: 'p', render: (_, r) => r.problems.map((p, i) => <div key={i}><code>{p.column}</code> {p.message}</div>) },
            { title: 'raw', key: 'raw', render: (_, r) => <code className="wrap-code">{JSON.stringify(r.raw)}</code> },
          ]}
        />
      )}
    </Drawer>
  );
}

export function DatasetTab({ r }: { r: Resource }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const notify = useNotify();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'full' | 'incremental'>('full');
  const [busy, setBusy] = useState(false);
  const [rejectedOf, setRejectedOf] = useState<Load | null>(null);
  const ds = useQuery({ queryKey: ['share-dataset', r.id], queryFn: () => api.get<Dataset>(`/api/share/resources/${r.id}/dataset`), enabled: r.state === 'published' });
  const [live, setLive] = useState(false);
  // Poll while a load is queued or running, so its progress moves on screen.
  const loads = usePagedList<Load>(['share-loads', r.id], '/api/share/loads', { resourceId: r.id }, { refetchInterval: live ? 1500 : undefined });
  const running = (loads.rows ?? []).some((l) => l.state === 'queued' || l.state === 'running');
  if (running !== live) setLive(running);
  const records = usePagedList<Record<string, unknown>>(['share-records', r.id], `/api/share/resources/${r.id}/records`, {});
  if (r.state !== 'published') return <Empty description={t(`${c}.ds.notPublished`)} />;
  const manage = r.canManage && can('share.data.load');
  const upload = async (file: File) => {
    setBusy(true);
    try {
      await uploadFile(`/api/share/resources/${r.id}/loads?mode=${mode}`, file);
      notify.ok(t(`${c}.ds.queued`));
      void qc.invalidateQueries({ queryKey: ['share-loads'] });
    } catch (e) {
      notify.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <QueryError error={ds.error} onRetry={() => void ds.refetch()} />
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title={t(`${c}.ds.rowCount`)} value={formatNumber(ds.data?.rowCount, locale)} />
        </Col>
        <Col span={6}>
          <Statistic title={t(`${c}.ds.lastLoadedAt`)} value={ds.data?.lastLoadedAt ? formatDateTime(ds.data.lastLoadedAt, locale, false) : '—'} />
        </Col>
        <Col span={6}>
          <Statistic title={t(`${c}.quality.score`)} value={ds.data?.quality.score ?? '—'} />
        </Col>
        {manage && (
          <Col span={6}>
            <Space orientation="vertical">
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'full' | 'incremental')} options={[{ value: 'full', label: t(`${c}.ds.full`) }, { value: 'incremental', label: t(`${c}.ds.incremental`) }]} />
              <Upload accept=".csv,.xlsx,.jsonl" showUploadList={false} beforeUpload={(f) => (void upload(f), false)}>
                <Button icon={<UploadOutlined />} loading={busy} data-testid="dataset-upload">
                  {t(`${c}.ds.upload`)}
                </Button>
              </Upload>
            </Space>
          </Col>
        )}
      </Row>
      <Card size="small" title={t(`${c}.ds.loads`)}>
        <DataTable<Load>
          {...loads}
          rowKey="id"
          size="small"
          data-testid="loads-table"
          columns={[
            { title: t(`${c}.ds.source`), key: 'src', render: (_, l) => `${l.source}${l.fileName ? ` · ${l.fileName}` : ''}` },
            { title: t(`${c}.ds.mode`), dataIndex: 'mode', width: 80, render: (v: string) => t(`${c}.ds.${v}`) },
            { title: t(`${c}.f.state`), dataIndex: 'state', width: 100, render: (v: string) => <Tag color={LOAD_COLOUR[v]}>{t(`${c}.ds.loadState.${v}`)}</Tag> },
            {
              title: t(`${c}.ds.progress`),
              key: 'progress',
              width: 170,
              render: (_, l) => (l.bytesTotal ? <Progress size="small" percent={Math.min(100, Math.round((100 * l.bytesRead) / l.bytesTotal))} status={l.state === 'failed' ? 'exception' : undefined} /> : '—'),
            },
            { title: t(`${c}.ds.read`), dataIndex: 'rowsRead', width: 80 },
            { title: t(`${c}.ds.loaded`), dataIndex: 'rowsLoaded', width: 80 },
            { title: t(`${c}.ds.rejected`), key: 'rej', width: 110, render: (_, l) => (l.rowsRejected ? <RowButton onClick={() => setRejectedOf(l)}>{l.rowsRejected}</RowButton> : 0) },
            { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale) },
          ]}
        />
      </Card>
      {manage && (
        <Card size="small" title={t(`${c}.ds.preview`)}>
          <DataTable<Record<string, unknown>>
            {...records}
            rowKey={(row) => r.items.filter((i) => i.key).map((i) => String(row[i.name])).join('|')}
            size="small"
            scroll={{ x: r.items.length * 140 }}
            columns={r.items.map((i) => ({ title: i.label, dataIndex: i.name, width: 140, render: (v: unknown) => (v === null || v === undefined ? '—' : String(v)) }))}
          />
        </Card>
      )}
      <RejectedDrawer load={rejectedOf} onClose={() => setRejectedOf(null)} />
    </Space>
  );
}

export function QualityTab({ r }: { r: Resource }) {
  const { t } = useTranslation();
  const ds = useQuery({ queryKey: ['share-dataset', r.id], queryFn: () => api.get<Dataset>(`/api/share/resources/${r.id}/dataset`), enabled: r.state === 'published' });
  const rules = useQuery({ queryKey: ['share-rules', r.id], queryFn: () => api.get<ResponseOf<'/api/share/resources/{id}/quality-rules'>>(`/api/share/resources/${r.id}/quality-rules`), enabled: r.state === 'published' });
  if (r.state !== 'published') return <Empty description={t(`${c}.ds.notPublished`)} />;
  const q = ds.data?.quality;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <QueryError error={ds.error ?? rules.error} />
      <Row gutter={16} align="middle">
        <Col span={6}>
          <Progress type="dashboard" percent={q?.score ?? 0} format={(p) => p?.toFixed(1)} />
        </Col>
        <Col span={18}>
          <Descriptions size="small" column={3} bordered>
            {DIMENSIONS.map((d) => (
              <Descriptions.Item key={d} label={t(`${c}.dim.${d}`)}>
                {q ? q.dimensions[d].toFixed(1) : '—'}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Col>
      </Row>
      <Table<Rule>
        size="small"
        rowKey={(x) => x.id ?? `${x.kind}-${x.column}`}
        pagination={false}
        loading={rules.isFetching}
        dataSource={rules.data?.items ?? []}
        title={() => t(`${c}.ds.rules`)}
        columns={[
          { title: t(`${c}.ds.ruleKind`), dataIndex: 'kind' },
          { title: t(`${c}.obj.column`), dataIndex: 'column', render: (v: string | null) => (v ? <code>{v}</code> : '—') },
          { title: t(`${c}.ds.threshold`), dataIndex: 'threshold', width: 90 },
          { title: t(`${c}.ds.severity`), dataIndex: 'severity', width: 90 },
          { title: '', dataIndex: 'derived', width: 130, render: (v: boolean | undefined) => (v ? <Tag>{t(`${c}.ds.derived`)}</Tag> : null) },
        ]}
      />
    </Space>
  );
}

export function ObjectionsTab({ r }: { r: Resource }) {
  const { t } = useTranslation();
  const can = useCan();
  const [raising, setRaising] = useState(false);
  const [form] = Form.useForm<{ recordKey: string; column: string; description: string }>();
  const raise = useSave((v: { recordKey: string; column: string; description: string }) => api.post(`/api/share/resources/${r.id}/objections`, v), { refresh: 'share-objections', ok: () => t(`${c}.obj.raisedOk`), then: () => setRaising(false) });
  const keys = r.items.filter((i) => i.key).map((i) => i.name).join('|');
  return (
    <>
      {can('share.request.create') && r.state === 'published' && (
        <Button onClick={() => setRaising(true)} style={{ marginBottom: 8 }} data-testid="raise-objection">
          {t(`${c}.ds.raise`)}
        </Button>
      )}
      <ObjectionsTable box="all" resourceId={r.id} />
      <FormModal open={raising} title={t(`${c}.ds.raise`)} form={form} onClose={() => setRaising(false)} save={raise}>
        <Form.Item name="recordKey" label={`${t(`${c}.obj.recordKey`)}（${keys}）`} extra={t(`${c}.ds.recordKeyHelp`)} rules={[{ required: true }, { max: 400 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="column" label={t(`${c}.obj.column`)} rules={[{ required: true }]}>
          <Select options={r.items.map((i) => ({ value: i.name, label: `${i.label}（${i.name}）` }))} />
        </Form.Item>
        <Form.Item name="description" label={t(`${c}.obj.description`)} rules={[{ required: true }, { max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </>
  );
}
