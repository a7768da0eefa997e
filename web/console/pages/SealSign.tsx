// 文件盖章: upload a PDF, choose the seal, page and position, get the sealed PDF back, and check it (or any
// other PDF) with the verifier; below, the record of sealings the caller may see.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Space, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, FilePdfOutlined, InboxOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import type { Page } from '../../shared/types';
import { DataTable, usePagedList } from '../components/DataTable';
import { useLocale } from '../hooks';
import { sealPdf, verifyPdf } from '../seal/api';
import type { Seal, Signing } from '../seal/types';
import { VerifyResult } from '../seal/VerifyResult';

const c = 'console.seal';
const POSITIONS = ['bottom-right', 'bottom-center', 'bottom-left', 'top-right', 'center'] as const;

interface SignOptions {
  sealId?: string;
  page?: number | null;
  position: (typeof POSITIONS)[number];
  size: number;
}

function PdfDrop({ file, onFile, testId, text, hint }: { file: File | null; onFile: (f: File) => void; testId: string; text: string; hint: string }) {
  return (
    <div data-testid={testId}>
      <Upload.Dragger
        accept="application/pdf,.pdf"
        multiple={false}
        showUploadList={false}
        beforeUpload={(f) => {
          onFile(f);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">{file ? <FilePdfOutlined /> : <InboxOutlined />}</p>
        <p className="ant-upload-text">{file ? file.name : text}</p>
        <p className="ant-upload-hint">{file ? `${(file.size / 1024).toFixed(1)} KB` : hint}</p>
      </Upload.Dragger>
    </div>
  );
}

function SealCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<SignOptions>();
  const [file, setFile] = useState<File | null>(null);
  const [sealed, setSealed] = useState<{ blob: Blob; name: string } | null>(null);
  const seals = useQuery({ queryKey: ['seal-seals', 'active-own'], queryFn: () => api.get<Page<Seal>>('/api/seal/seals', { state: 'active', limit: 200 }) });
  const options = (seals.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  useEffect(() => {
    if (options.length && !form.getFieldValue('sealId')) form.setFieldValue('sealId', options[0].value);
  }, [options, form]);
  const url = useMemo(() => (sealed ? URL.createObjectURL(sealed.blob) : null), [sealed]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  const sign = useMutation({
    mutationFn: (v: SignOptions) => sealPdf(file!, { sealId: v.sealId ?? '', page: v.page ? String(v.page) : '', position: v.position, size: String(v.size) }),
    onSuccess: (blob) => {
      setSealed({ blob, name: `${file!.name.replace(/\.pdf$/i, '')}-sealed.pdf` });
      void qc.invalidateQueries({ queryKey: ['seal-signings'] });
      check.reset();
    },
  });
  const check = useMutation({ mutationFn: () => verifyPdf(sealed!.blob, sealed!.name) });

  return (
    <Card variant="borderless" className="section-card" title={t(`${c}.sign.title`)}>
      <Typography.Paragraph type="secondary">{t(`${c}.sign.intro`)}</Typography.Paragraph>
      {seals.data && !options.length && <Alert type="warning" showIcon title={t(`${c}.sign.noSeal`)} style={{ marginBottom: 12 }} />}
      <Row gutter={24}>
        <Col xs={24} md={12}>
          <PdfDrop
            file={file}
            testId="sign-drop"
            text={t(`${c}.sign.drop`)}
            hint={t(`${c}.sign.dropHint`)}
            onFile={(f) => {
              setFile(f);
              setSealed(null);
              sign.reset();
            }}
          />
        </Col>
        <Col xs={24} md={12}>
          <Form<SignOptions> form={form} layout="vertical" initialValues={{ position: 'bottom-right', size: 119 }} onFinish={(v) => sign.mutate(v)}>
            <Form.Item name="sealId" label={t(`${c}.sign.seal`)} rules={[{ required: true }]}>
              <Select options={options} loading={seals.isPending} data-testid="sign-seal" />
            </Form.Item>
            <Space wrap size="middle">
              <Form.Item name="page" label={t(`${c}.sign.page`)} tooltip={t(`${c}.sign.pageHint`)}>
                <InputNumber min={1} precision={0} placeholder={t(`${c}.sign.pageHint`)} style={{ width: 150 }} data-testid="sign-page" />
              </Form.Item>
              <Form.Item name="position" label={t(`${c}.sign.position`)}>
                <Select style={{ width: 150 }} options={POSITIONS.map((p) => ({ value: p, label: t(`${c}.sign.pos.${p}`) }))} data-testid="sign-position" />
              </Form.Item>
              <Form.Item name="size" label={t(`${c}.sign.size`)}>
                <InputNumber min={40} max={300} style={{ width: 120 }} />
              </Form.Item>
            </Space>
            <div>
              <Button type="primary" htmlType="submit" icon={<SafetyCertificateOutlined />} disabled={!file || !options.length} loading={sign.isPending} data-testid="sign-submit">
                {sign.isPending ? t(`${c}.sign.sealing`) : t(`${c}.sign.submit`)}
              </Button>
            </div>
          </Form>
        </Col>
      </Row>
      {sign.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={errorMessage(sign.error, t)} data-testid="sign-error" />}
      {sealed && url && (
        <div style={{ marginTop: 16 }} data-testid="sign-done">
          <Alert
            type="success"
            showIcon
            title={t(`${c}.sign.done`)}
            description={sealed.name}
            action={
              <Space>
                <Button icon={<DownloadOutlined />} href={url} download={sealed.name} data-testid="sign-download">
                  {t(`${c}.sign.download`)}
                </Button>
                <Button onClick={() => check.mutate()} loading={check.isPending} data-testid="sign-verify">
                  {t(`${c}.verify.verifySealed`)}
                </Button>
              </Space>
            }
          />
          {check.data && (
            <div style={{ marginTop: 12 }}>
              <VerifyResult report={check.data} />
            </div>
          )}
          {check.isError && <Alert type="error" showIcon title={errorMessage(check.error, t)} />}
        </div>
      )}
    </Card>
  );
}

function VerifyCard() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const check = useMutation({ mutationFn: (f: File) => verifyPdf(f) });
  return (
    <Card variant="borderless" className="section-card" title={t(`${c}.verify.title`)}>
      <Typography.Paragraph type="secondary">{t(`${c}.verify.intro`)}</Typography.Paragraph>
      <PdfDrop
        file={file}
        testId="verify-drop"
        text={t(`${c}.verify.drop`)}
        hint={t(`${c}.verify.dropHint`)}
        onFile={(f) => {
          setFile(f);
          check.mutate(f);
        }}
      />
      <div style={{ marginTop: 12 }} aria-live="polite">
        {check.isPending && <Typography.Text type="secondary">{t(`${c}.verify.verifying`)}</Typography.Text>}
        {check.isError && <Alert type="error" showIcon title={errorMessage(check.error, t)} />}
        {check.data && <VerifyResult report={check.data} />}
      </div>
    </Card>
  );
}

function SigningsCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const list = usePagedList<Signing>(['seal-signings'], '/api/seal/signings', {});
  return (
    <Card variant="borderless" className="section-card" title={t(`${c}.sign.recent`)}>
      <DataTable<Signing>
        {...list}
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        data-testid="signings-table"
        columns={[
          { title: t(`${c}.sign.signedAt`), dataIndex: 'signedAt', width: 170, render: (v: string) => <span className="nowrap">{formatDateTime(v, locale)}</span> },
          { title: t(`${c}.sign.fileName`), dataIndex: 'fileName', width: 260, ellipsis: true },
          { title: t(`${c}.sign.purpose`), dataIndex: 'purpose', width: 110, render: (v: string) => <Tag>{t(`${c}.sign.purposes.${v}`)}</Tag> },
          { title: t(`${c}.sign.page`), dataIndex: 'page', width: 70 },
          { title: t(`${c}.sign.signer`), dataIndex: 'signerName', width: 140 },
          { title: t(`${c}.sign.hash`), dataIndex: 'documentSha256', width: 160, render: (v: string) => <span className="muted-code">{v.slice(0, 16)}…</span> },
        ]}
      />
    </Card>
  );
}

export default function SealSign() {
  return (
    <div className="page">
      <SealCard />
      <VerifyCard />
      <SigningsCard />
    </div>
  );
}
