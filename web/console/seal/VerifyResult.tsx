// The verification report of a PDF as cards: one per signature, green when intact, whole and trusted.
import { Alert, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { useLocale } from '../hooks';
import type { VerifiedSignature, VerifyReport } from './types';

const v = 'console.seal.verify';

function Flag({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return ok ? <Tag color="green">{t(`${v}.yes`)}</Tag> : <Tag color="red">{t(`${v}.no`)}</Tag>;
}

function SignatureCard({ s, n }: { s: VerifiedSignature; n: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const valid = s.intact && s.coversWholeDocument && s.chainTrusted;
  const soft = s.intact && s.chainTrusted && !s.coversWholeDocument;
  const icon = valid ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : soft ? <ExclamationCircleFilled style={{ color: '#faad14' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />;
  return (
    <Card
      size="small"
      data-testid="signature-card"
      data-valid={valid}
      title={
        <Space>
          {icon}
          <span>
            #{n} {valid ? t(`${v}.valid`) : soft ? t(`${v}.warn`) : t(`${v}.invalid`)}
          </span>
        </Space>
      }
    >
      {s.reason && <Alert type={valid ? 'info' : 'error'} showIcon style={{ marginBottom: 12 }} title={t(`${v}.reasons.${s.reason}`, { defaultValue: s.reason })} description={s.detail} />}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t(`${v}.signer`)}>{s.signer ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(`${v}.org`)}>{s.org ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(`${v}.signedAt`)}>{s.signedAt ? formatDateTime(s.signedAt, locale) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t(`${v}.intact`)}>
          <Flag ok={s.intact} />
        </Descriptions.Item>
        <Descriptions.Item label={t(`${v}.whole`)}>
          <Flag ok={s.coversWholeDocument} />
        </Descriptions.Item>
        <Descriptions.Item label={t(`${v}.trusted`)}>
          <Flag ok={s.chainTrusted} />
        </Descriptions.Item>
        <Descriptions.Item label={t('console.seal.f.serial')}>
          <Typography.Text code className="mono">
            {s.serial ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export function VerifyResult({ report }: { report: VerifyReport }) {
  const { t } = useTranslation();
  if (!report.signatures.length) return <Alert type="warning" showIcon title={t(`${v}.none`)} data-testid="verify-none" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="verify-result">
      <Typography.Text type="secondary">{t(`${v}.count`, { count: report.signatures.length })}</Typography.Text>
      {report.signatures.map((s, i) => (
        <SignatureCard key={i} s={s} n={i + 1} />
      ))}
    </Space>
  );
}
