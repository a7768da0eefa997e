// One certificate: GB/T 36903 core metadata with the GB/T 36904 identifier, the type's fields, the status
// history, and suspend / reinstate / revoke with a reason.
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Result, Row, Space, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, PauseCircleOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isStatus } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/format';
import { FormModal } from '../components/FormModal';
import { QueryError } from '../components/QueryError';
import { useLocale, useSave } from '../hooks';
import { CertStatusTag, c, fieldLabel, typeLabel } from '../cert/common';
import type { CertDetail } from '../cert/types';

type Op = 'suspend' | 'reinstate' | 'revoke';

function display(v: string | number | boolean | null | undefined, t: (k: string) => string) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t(`${c}.issue.yes`) : t(`${c}.issue.no`);
  return String(v);
}

export default function CertCertificate() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNavigate();
  const { id = '' } = useParams();
  const [op, setOp] = useState<Op | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const q = useQuery({ queryKey: ['cert-certificates', 'detail', id], queryFn: () => api.get<CertDetail>(`/api/cert/certificates/${id}`), retry: (n, e) => !isStatus(e, 403, 404) && n < 2 });
  const act = useSave((v: { reason: string }) => api.post<CertDetail>(`/api/cert/certificates/${id}/${op}`, { reason: v.reason }), {
    refresh: 'cert-certificates',
    ok: () => t(`${c}.detail.done.${op}`),
    then: () => setOp(null),
  });
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => nav('/cert/certificates')}>
      {t(`${c}.detail.back`)}
    </Button>
  );
  if (isStatus(q.error, 403, 404)) return <Result status="404" title={t(`${c}.detail.notFound`)} extra={back} />;
  const d = q.data;
  return (
    <div className="page">
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      {d && (
        <>
          <Card
            variant="borderless"
            className="section-card"
            title={
              <Space>
                {typeLabel(d.type, locale)} · {d.number} <CertStatusTag status={d.status} expired={d.expired} />
              </Space>
            }
            extra={
              <Space>
                {back}
                {d.canChangeStatus && d.status === 'valid' && (
                  <Button icon={<PauseCircleOutlined />} onClick={() => setOp('suspend')} data-testid="cert-suspend">
                    {t(`${c}.detail.suspend`)}
                  </Button>
                )}
                {d.canChangeStatus && d.status === 'suspended' && (
                  <Button icon={<PlayCircleOutlined />} onClick={() => setOp('reinstate')} data-testid="cert-reinstate">
                    {t(`${c}.detail.reinstate`)}
                  </Button>
                )}
                {d.canChangeStatus && d.status !== 'revoked' && (
                  <Button danger icon={<StopOutlined />} onClick={() => setOp('revoke')} data-testid="cert-revoke">
                    {t(`${c}.detail.revoke`)}
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions title={t(`${c}.detail.metadata`)} bordered size="small" column={{ xs: 1, md: 2 }} data-testid="cert-metadata">
              <Descriptions.Item label={t(`${c}.f.name`)}>{typeLabel(d.type, locale)}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.typeCode`)}>
                <span className="muted-code">{d.type.code}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.number`)}>{d.number}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.identifier`)}>
                <Typography.Text className="muted-code" copyable data-testid="cert-identifier">
                  {d.identifier}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.holder`)}>{d.holderName}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.holderCode`)}>
                <span className="muted-code">{d.holderCodeMasked}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.holderCodeType`)}>{t(`${c}.f.holderCodeType${d.holderCodeType}`)}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.issuer`)}>{d.issuerName}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.issuerCode`)}>
                <span className="muted-code">{d.issuerCreditCode}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.issuedOn`)}>{formatDate(d.issuedOn, locale)}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.validFrom`)}>{formatDate(d.validFrom, locale)}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.validUntil`)}>{d.validUntil ? formatDate(d.validUntil, locale) : t(`${c}.f.longTerm`)}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.jurisdiction`)}>{d.jurisdiction}</Descriptions.Item>
              <Descriptions.Item label={t(`${c}.f.statusList`)}>
                <a href={d.statusList.uri} target="_blank" rel="noreferrer" className="muted-code">
                  #{d.statusList.id} [{d.statusList.index}]
                </a>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={14}>
              <Card variant="borderless" className="section-card" title={t(`${c}.detail.fields`)}>
                <Descriptions bordered size="small" column={1} data-testid="cert-fields">
                  {d.type.fields.map((f) => (
                    <Descriptions.Item key={f.key} label={fieldLabel(f, locale)}>
                      {display(d.fields[f.key], t)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card variant="borderless" className="section-card" title={t(`${c}.detail.history`)}>
                <Timeline
                  data-testid="cert-history"
                  items={d.history.map((h) => ({
                    color: h.toStatus === 'revoked' ? 'red' : h.toStatus === 'suspended' ? 'orange' : 'green',
                    children: (
                      <div className="cell-stack">
                        <span>
                          {t(`${c}.detail.action.${h.action}`)} · {formatDateTime(h.at, locale)}
                        </span>
                        <Typography.Text type="secondary">
                          {h.actorName === 'import' ? t(`${c}.detail.byImport`) : h.actorName}
                          {h.reason ? ` — ${h.reason}` : ''}
                        </Typography.Text>
                      </div>
                    ),
                  }))}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
      <FormModal<{ reason: string }> open={!!op} title={op ? t(`${c}.detail.${op}`) : ''} form={form} onClose={() => setOp(null)} save={act} okTestId="cert-status-ok">
        {op === 'revoke' && <Alert type="warning" showIcon message={t(`${c}.detail.revokeWarn`)} style={{ marginBottom: 12 }} />}
        <Form.Item name="reason" label={t(`${c}.detail.reason`)} rules={[{ required: true, whitespace: true, message: t(`${c}.detail.reasonRequired`) }, { max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="cert-status-reason" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
