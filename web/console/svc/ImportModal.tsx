// Import items from a CSV or Excel file: the file goes as the raw request body (the server streams it),
// and every rejected row comes back as {row, field, message}, shown and downloadable.
import { useState } from 'react';
import { Alert, Button, Checkbox, Modal, Radio, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, csrfToken, NetworkError, type Problem } from '../../shared/api';
import { useCan, useNotify } from '../hooks';
import type { ImportReport } from './types';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function sendImport(file: File, opts: { mode: 'valid' | 'all'; dryRun: boolean; publish: boolean }): Promise<ImportReport> {
  const isXlsx = /\.xlsx$/i.test(file.name);
  const query = new URLSearchParams({ mode: opts.mode, dryRun: String(opts.dryRun), publish: String(opts.publish) });
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': isXlsx ? XLSX_TYPE : 'text/csv' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(`/api/svc/import?${query.toString()}`, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch (e) {
    throw new NetworkError(e);
  }
  const payload = (await res.json().catch(() => null)) as (ImportReport & Problem) | null;
  // 422 with a report (mode=all and some row rejected) is an answer to show, not a failure.
  if (payload && Array.isArray(payload.rejected)) return payload;
  throw new ApiError(res.status, payload ?? { status: res.status, title: res.statusText });
}

/** The rejected rows as a CSV (with a BOM so spreadsheet programs read the Chinese). */
function reportCsv(rows: ImportReport['rejected']): string {
  const cell = (v: string | number) => {
    const s = String(v);
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return '\ufeff' + ['row,field,message', ...rows.map((r) => [r.row, r.field, r.message].map(cell).join(','))].join('\r\n') + '\r\n';
}

export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'valid' | 'all'>('valid');
  const [dryRun, setDryRun] = useState(false);
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  const run = async () => {
    if (!file) {
      notify.fail(new Error(t('console.svc.import.noFile')));
      return;
    }
    setBusy(true);
    try {
      const r = await sendImport(file, { mode, dryRun, publish });
      setReport(r);
      if (r.written) void qc.invalidateQueries({ queryKey: ['svc-items'] });
    } catch (e) {
      notify.fail(e);
    } finally {
      setBusy(false);
    }
  };
  const download = () => {
    if (!report) return;
    const url = URL.createObjectURL(new Blob([reportCsv(report.rejected)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `import-errors-${(file?.name ?? 'items').replace(/\.[^.]+$/, '')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const close = () => {
    setFile(null);
    setReport(null);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('console.svc.import.title')}
      onCancel={close}
      width={820}
      destroyOnHidden
      footer={[
        <Button key="close" onClick={close}>
          {t('action.close')}
        </Button>,
        <Button key="run" type="primary" loading={busy} onClick={() => void run()} data-testid="import-run">
          {dryRun ? t('console.svc.import.check') : t('console.svc.import.run')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" size={12} className="full-width">
        <Typography.Paragraph type="secondary">{t('console.svc.import.hint')}</Typography.Paragraph>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('console.svc.import.file')}（.csv / .xlsx）</p>
        </Upload.Dragger>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
          <Radio value="valid">{t('console.svc.import.modeValid')}</Radio>
          <Radio value="all">{t('console.svc.import.modeAll')}</Radio>
        </Radio.Group>
        <Space>
          <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
            {t('console.svc.import.dryRun')}
          </Checkbox>
          {can('svc.item.publish') && (
            <Checkbox checked={publish} onChange={(e) => setPublish(e.target.checked)}>
              {t('console.svc.import.publish')}
            </Checkbox>
          )}
        </Space>
        {report && (
          <div data-testid="import-report">
            <Alert
              type={report.rejected.length ? (report.written ? 'warning' : 'error') : 'success'}
              showIcon
              title={t('console.svc.import.result', { rows: report.rows, accepted: report.accepted, created: report.created, updated: report.updated, published: report.published, rejected: new Set(report.rejected.map((r) => r.row)).size })}
              description={report.written ? t('console.svc.import.written') : t('console.svc.import.notWritten')}
              action={
                report.rejected.length > 0 && (
                  <Button size="small" icon={<DownloadOutlined />} onClick={download}>
                    {t('console.svc.import.download')}
                  </Button>
                )
              }
            />
            {report.rejected.length > 0 && (
              <Table
                className="import-errors"
                size="small"
                rowKey={(r) => `${r.row}-${r.field}-${r.message}`}
                dataSource={report.rejected}
                pagination={{ pageSize: 8, hideOnSinglePage: true }}
                columns={[
                  { title: t('console.svc.import.row'), dataIndex: 'row', width: 70 },
                  { title: t('console.svc.import.field'), dataIndex: 'field', width: 140, render: (v: string) => <code>{v}</code> },
                  { title: t('console.svc.import.message'), dataIndex: 'message' },
                ]}
              />
            )}
          </div>
        )}
      </Space>
    </Modal>
  );
}
