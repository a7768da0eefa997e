// Bulk imports of certificates: choose a type, download its template, upload CSV or JSON lines; the list
// shows live progress and every rejected row (row, field, reason), downloadable as CSV.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Drawer, Progress, Select, Space, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ItemOf } from '../../shared/api-types';
import { formatDateTime, formatNumber } from '../../shared/format';
import { uploadFile } from '../../shared/credit/upload';
import { DataTable, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { useLocale, useNotify } from '../hooks';
import { c, fieldLabel, typeLabel, useCertTypes } from '../cert/common';
import type { CertImport } from '../cert/types';

type Reject = ItemOf<'/api/cert/imports/{id}/rejects'>;

const CORE_LABELS: Record<string, string> = { number: 'number', holderName: 'holder', holderCode: 'holderCode', issuedOn: 'issuedOn', validFrom: 'validFrom', validUntil: 'validUntil', jurisdiction: 'jurisdiction' };
const STATE_COLOURS: Record<string, string> = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error' };

function Rejects({ imp, onClose }: { imp: CertImport; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const type = useCertTypes().data?.items.find((x) => x.id === imp.typeId);
  const list = usePagedList<Reject>(['cert-imports', imp.id, 'rejects'], `/api/cert/imports/${imp.id}/rejects`, {});
  // A field's name as the template's header shows it, then its key.
  const fieldName = (key: string) => {
    const core = CORE_LABELS[key];
    if (core) return t(`${c}.f.${core}`);
    const f = type?.fields.find((x) => x.key === key);
    return f ? fieldLabel(f, locale) : key;
  };
  return (
    <Drawer open width={720} onClose={onClose} title={`${t(`${c}.imports.rejectsTitle`)} · ${imp.fileName}`} extra={<Button icon={<DownloadOutlined />} href={`/api/cert/imports/${imp.id}/rejects.csv`}>{t(`${c}.imports.downloadRejects`)}</Button>}>
      <DataTable<Reject>
        {...list}
        rowKey={(r) => `${r.rowNumber}:${r.field}`}
        size="small"
        data-testid="cert-rejects"
        columns={[
          { title: t(`${c}.imports.row`), dataIndex: 'rowNumber', width: 70 },
          {
            title: t(`${c}.imports.field`),
            dataIndex: 'field',
            width: 150,
            render: (v: string) => (
              <div className="cell-stack">
                <span>{fieldName(v)}</span>
                <span className="muted-code">{v}</span>
              </div>
            ),
          },
          { title: t(`${c}.imports.reason`), dataIndex: 'reason' },
          { title: t(`${c}.f.number`), key: 'number', width: 130, render: (_, r) => String(r.raw.number ?? '') },
        ]}
      />
    </Drawer>
  );
}

export default function CertImports() {
  const { t } = useTranslation();
  const locale = useLocale();
  const notify = useNotify();
  const qc = useQueryClient();
  const types = useCertTypes();
  const [typeId, setTypeId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [showing, setShowing] = useState<CertImport | null>(null);
  const issuable = (types.data?.items ?? []).filter((x) => x.canIssue);
  // Poll while an import on the page is still queued or running.
  const [active, setActive] = useState(false);
  const list = usePagedList<CertImport>(['cert-imports'], '/api/cert/imports', {}, { refetchInterval: active ? 1500 : undefined });
  useEffect(() => setActive((list.rows ?? []).some((r) => r.state === 'queued' || r.state === 'running')), [list.rows]);
  const upload = async (file: File) => {
    if (!typeId) return notify.fail(new Error(t(`${c}.imports.chooseTypeFirst`)));
    setBusy(true);
    try {
      await uploadFile<CertImport>('/api/cert/imports', file, { typeId });
      notify.ok(t(`${c}.imports.queued`));
      void qc.invalidateQueries({ queryKey: ['cert-imports'] });
    } catch (err) {
      notify.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <Alert type="info" showIcon message={t(`${c}.imports.help`)} style={{ marginBottom: 12 }} />
        <Toolbar>
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t(`${c}.imports.type`)}
            value={typeId}
            onChange={setTypeId}
            style={{ width: 260 }}
            options={issuable.map((x) => ({ value: x.id, label: typeLabel(x, locale) }))}
            data-testid="cert-import-type"
          />
          <Button icon={<DownloadOutlined />} disabled={!typeId} href={typeId ? `/api/cert/types/${typeId}/template.csv` : undefined} data-testid="cert-import-template">
            {t(`${c}.imports.template`)}
          </Button>
          <Upload accept=".csv,.jsonl,.ndjson" showUploadList={false} disabled={!typeId} beforeUpload={(f) => (void upload(f), false)}>
            <Button type="primary" icon={<UploadOutlined />} loading={busy} disabled={!typeId} data-testid="cert-import-upload">
              {t(`${c}.imports.upload`)}
            </Button>
          </Upload>
        </Toolbar>
        <DataTable<CertImport>
          {...list}
          rowKey="id"
          data-testid="cert-imports-table"
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t(`${c}.imports.file`),
              key: 'file',
              width: 230,
              render: (_, r) => (
                <div className="cell-stack">
                  <span>{r.fileName}</span>
                  <Typography.Text type="secondary">{r.typeName}</Typography.Text>
                </div>
              ),
            },
            {
              title: t(`${c}.imports.state`),
              key: 'state',
              width: 200,
              render: (_, r) => (
                <Space direction="vertical" size={0} style={{ width: '100%' }}>
                  <Tag color={STATE_COLOURS[r.state]}>{t(`${c}.imports.states.${r.state}`)}</Tag>
                  {r.state === 'running' && r.bytesTotal > 0 && <Progress size="small" percent={Math.min(100, Math.round((r.bytesRead / r.bytesTotal) * 100))} />}
                  {r.error && <Typography.Text type="danger">{r.error}</Typography.Text>}
                </Space>
              ),
            },
            { title: t(`${c}.imports.rowsRead`), dataIndex: 'rowsRead', width: 100, align: 'right', render: (v: number) => formatNumber(v, locale) },
            { title: t(`${c}.imports.rowsIssued`), dataIndex: 'rowsIssued', width: 100, align: 'right', render: (v: number) => formatNumber(v, locale) },
            { title: t(`${c}.imports.rowsDuplicate`), dataIndex: 'rowsDuplicate', width: 100, align: 'right', render: (v: number) => formatNumber(v, locale) },
            { title: t(`${c}.imports.rowsRejected`), dataIndex: 'rowsRejected', width: 100, align: 'right', render: (v: number) => (v ? <Typography.Text type="danger">{formatNumber(v, locale)}</Typography.Text> : '0') },
            { title: t(`${c}.imports.createdAt`), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, locale) },
            ...actionsColumn<CertImport>(t, (r) => (r.rowsRejected > 0 ? <RowButton onClick={() => setShowing(r)}>{t(`${c}.imports.rejects`)}</RowButton> : null), { width: 110 }),
          ]}
        />
      </Card>
      {showing && <Rejects imp={showing} onClose={() => setShowing(null)} />}
    </div>
  );
}
