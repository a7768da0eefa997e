// 电子印章: the platform CA, every department's seals (image, certificate, state, how often used), and
// for seal managers making, renewing and revoking them.
import { useState } from 'react';
import { Button, Card, Descriptions, Drawer, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/format';
import { DataTable, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { OrgSelect } from '../components/OrgSelect';
import { useCan, useLocale, useSave } from '../hooks';
import { STATE_COLOUR, type CertificateDetails, type Seal, type SealState } from '../seal/types';

const c = 'console.seal';

function SealImage({ seal, size }: { seal: Pick<Seal, 'id' | 'name'>; size: number }) {
  return <img src={`/api/seal/seals/${seal.id}/image.svg`} alt={seal.name} width={size} height={size} style={{ display: 'block' }} data-testid="seal-image" />;
}

function CertificateTable({ cert }: { cert: CertificateDetails }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label={t(`${c}.f.subject`)}>{cert.subject}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.issuer`)}>{cert.issuer}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.serial`)}>
        <Typography.Text code>{cert.serial}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.notBefore`)}>{formatDateTime(cert.notBefore, locale)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.notAfter`)}>{formatDateTime(cert.notAfter, locale)}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.keyAlgorithm`)}>{cert.keyAlgorithm}</Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.keyUsage`)}>
        <Space size={4} wrap>
          {cert.keyUsage.map((u) => (
            <Tag key={u}>{u}</Tag>
          ))}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t(`${c}.f.fingerprint`)}>
        <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>
          {cert.sha256Fingerprint}
        </Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}

function CaCard() {
  const { t } = useTranslation();
  const ca = useQuery({ queryKey: ['seal-ca'], queryFn: () => api.get<CertificateDetails & { pem: string }>('/api/seal/ca/info') });
  return (
    <Card
      variant="borderless"
      className="section-card"
      title={t(`${c}.ca.title`)}
      extra={
        <Button icon={<DownloadOutlined />} href="/api/seal/ca" download="seal-ca.pem" data-testid="download-ca">
          {t(`${c}.ca.download`)}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t(`${c}.ca.hint`)}</Typography.Paragraph>
      {ca.data && (
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t(`${c}.f.subject`)}>{ca.data.subject}</Descriptions.Item>
          <Descriptions.Item label={t(`${c}.f.keyAlgorithm`)}>{ca.data.keyAlgorithm}</Descriptions.Item>
          <Descriptions.Item label={t(`${c}.f.validity`)}>
            {formatDate(ca.data.notBefore)} — {formatDate(ca.data.notAfter)}
          </Descriptions.Item>
          <Descriptions.Item label={t(`${c}.f.fingerprint`)}>
            <Typography.Text code style={{ fontSize: 12, wordBreak: 'break-all' }}>
              {ca.data.sha256Fingerprint}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

function SealDrawer({ seal, onClose }: { seal: Seal; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Drawer
      open
      width={640}
      onClose={onClose}
      title={seal.name}
      extra={
        <Button icon={<DownloadOutlined />} href={`/api/seal/seals/${seal.id}/certificate.pem`}>
          {t(`${c}.list.downloadCert`)}
        </Button>
      }
    >
      <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 16 }}>
        <SealImage seal={seal} size={200} />
      </div>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t(`${c}.f.org`)}>{seal.orgName}</Descriptions.Item>
        <Descriptions.Item label={t(`${c}.f.state`)}>
          <Tag color={STATE_COLOUR[seal.state]}>{t(`${c}.state.${seal.state}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t(`${c}.f.createdAt`)}>{formatDateTime(seal.createdAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t(`${c}.f.signings`)}>{seal.signings}</Descriptions.Item>
        {seal.revokedAt && <Descriptions.Item label={t(`${c}.f.revokedAt`)}>{formatDateTime(seal.revokedAt, locale)}</Descriptions.Item>}
        {seal.revokedReason && <Descriptions.Item label={t(`${c}.f.revokedReason`)}>{seal.revokedReason}</Descriptions.Item>}
      </Descriptions>
      <Typography.Title level={5}>{t(`${c}.list.certificate`)}</Typography.Title>
      <CertificateTable cert={seal.certificate} />
    </Drawer>
  );
}

export default function SealSeals() {
  const { t } = useTranslation();
  const locale = useLocale();
  const can = useCan();
  const manage = can('seal.manage');
  const [state, setState] = useState<SealState | undefined>();
  const [making, setMaking] = useState(false);
  const [revoking, setRevoking] = useState<Seal | null>(null);
  const [shown, setShown] = useState<Seal | null>(null);
  const list = usePagedList<Seal>(['seal-seals', 'list'], '/api/seal/seals', { state }, { sizeChanger: true });
  const [makeForm] = Form.useForm<{ orgId: string }>();
  const [revokeForm] = Form.useForm<{ reason: string }>();
  const make = useSave((v: { orgId: string }) => api.post<Seal>('/api/seal/seals', v), {
    refresh: 'seal-seals',
    ok: (s) => t(`${c}.list.made`, { name: s.name }),
    then: () => setMaking(false),
  });
  const renew = useSave((s: Seal) => api.post<Seal>('/api/seal/seals', { orgId: s.orgId }), { refresh: 'seal-seals', ok: () => t(`${c}.list.renewed`) });
  const revoke = useSave((v: { reason: string }) => api.post<Seal>(`/api/seal/seals/${revoking!.id}/revoke`, v), {
    refresh: 'seal-seals',
    ok: () => t(`${c}.list.revoked`),
    then: () => setRevoking(null),
  });

  return (
    <div className="page">
      <CaCard />
      <Card variant="borderless" className="section-card">
        <div className="toolbar">
          <Space wrap>
            <Select
              allowClear
              placeholder={t(`${c}.list.filterState`)}
              value={state}
              onChange={setState}
              style={{ width: 200 }}
              options={(['active', 'superseded', 'revoked'] as const).map((s) => ({ value: s, label: t(`${c}.state.${s}`) }))}
              data-testid="seal-state-filter"
            />
          </Space>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setMaking(true)} data-testid="make-seal">
              {t(`${c}.list.make`)}
            </Button>
          )}
        </div>
        <DataTable<Seal>
          {...list}
          rowKey="id"
          data-testid="seals-table"
          scroll={{ x: 1100 }}
          locale={{ emptyText: t(`${c}.list.none`) }}
          columns={[
            { title: t(`${c}.f.image`), key: 'image', width: 90, render: (_, s) => <SealImage seal={s} size={64} /> },
            {
              title: t(`${c}.f.name`),
              key: 'name',
              width: 240,
              render: (_, s) => (
                <div className="cell-stack">
                  <a onClick={() => setShown(s)} data-testid="seal-link">
                    {s.name}
                  </a>
                  <span className="muted-code nowrap">{s.orgCode}</span>
                </div>
              ),
            },
            { title: t(`${c}.f.state`), dataIndex: 'state', width: 170, render: (v: SealState) => <Tag color={STATE_COLOUR[v]}>{t(`${c}.state.${v}`)}</Tag> },
            { title: t(`${c}.f.serial`), dataIndex: 'serial', width: 150, render: (v: string) => <span className="muted-code nowrap">{v.slice(0, 12)}…</span> },
            { title: t(`${c}.f.validity`), key: 'validity', width: 200, render: (_, s) => <span className="nowrap">{`${formatDate(s.notBefore, locale)} — ${formatDate(s.notAfter, locale)}`}</span> },
            { title: t(`${c}.f.signings`), dataIndex: 'signings', width: 90 },
            {
              title: t('console.c.actions'),
              key: 'actions',
              width: 200,
              fixed: 'right',
              render: (_, s) => (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => setShown(s)}>
                    {t(`${c}.list.details`)}
                  </Button>
                  {manage && s.state === 'active' && (
                    <Popconfirm title={t(`${c}.list.renewConfirm`)} onConfirm={() => renew.mutate(s)}>
                      <Button size="small" type="link" data-testid="renew-seal">
                        {t(`${c}.list.renew`)}
                      </Button>
                    </Popconfirm>
                  )}
                  {manage && s.state !== 'revoked' && (
                    <Button size="small" type="link" danger onClick={() => setRevoking(s)} data-testid="revoke-seal">
                      {t(`${c}.list.revoke`)}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <FormModal<{ orgId: string }> open={making} title={t(`${c}.list.makeTitle`)} form={makeForm} onClose={() => setMaking(false)} save={make} okTestId="make-seal-ok">
        <Typography.Paragraph type="secondary">{t(`${c}.list.makeHint`)}</Typography.Paragraph>
        <Form.Item name="orgId" label={t(`${c}.f.org`)} rules={[{ required: true }]}>
          <OrgSelect kinds={['department']} data-testid="seal-org" />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }> open={!!revoking} title={`${t(`${c}.list.revokeTitle`)} · ${revoking?.name ?? ''}`} form={revokeForm} onClose={() => setRevoking(null)} save={revoke} okTestId="revoke-seal-ok">
        <Typography.Paragraph type="danger">{t(`${c}.list.revokeHint`)}</Typography.Paragraph>
        <Form.Item name="reason" label={t(`${c}.list.reason`)} rules={[{ required: true, min: 2, max: 500 }]}>
          <Input.TextArea rows={3} data-testid="revoke-reason" />
        </Form.Item>
      </FormModal>
      {shown && <SealDrawer seal={shown} onClose={() => setShown(null)} />}
    </div>
  );
}
