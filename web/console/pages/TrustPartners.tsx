// Partner platforms (互认城市): register another city by its trust-list URL or an uploaded list plus the
// pinned signing key, see each partner's state (fresh / overdue / stale / untrusted), last fetch and error,
// refresh now, deactivate, and look into the list held: its issuers and keys.
import { useState } from 'react';
import { Card, Checkbox, Descriptions, Drawer, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { ConfirmRowButton, DataTable, RowButton, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { FormModal } from '../components/FormModal';
import { QueryError } from '../components/QueryError';
import { useLocale, useNotify, useSave } from '../hooks';
import { type PartnerView, PartnerStateTag, T, type TrustListKey, UseTag } from '../trust/shared';

interface RegisterForm {
  name: string;
  source: 'url' | 'upload';
  url?: string;
  trustListJws?: string;
  pin: string;
}

function parsePin(text: string): JsonWebKey | null {
  try {
    const j = JSON.parse(text) as JsonWebKey;
    return j && j.kty === 'EC' && j.crv === 'P-256' && typeof j.x === 'string' && typeof j.y === 'string' ? j : null;
  } catch {
    return null;
  }
}

function PartnerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const q = useQuery({ queryKey: ['trust-partners', 'one', id], queryFn: () => api.get<ResponseOf<'/api/trust/partners/{id}'>>(`/api/trust/partners/${id}`), enabled: !!id });
  const p = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={860} title={p ? `${p.name} · ${p.platformId}` : t(`${T}.partners.view`)} destroyOnHidden>
      <QueryError error={q.error} onRetry={() => void q.refetch()} />
      {p && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="partner-detail">
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'state', label: t(`${T}.partners.state`), children: <PartnerStateTag p={p} /> },
              { key: 'seq', label: t(`${T}.partners.seq`), children: p.seq },
              { key: 'url', label: t(`${T}.partners.url`), span: 2, children: p.url ? <Typography.Text copyable>{p.url}</Typography.Text> : t(`${T}.partners.byUpload`) },
              { key: 'kid', label: t(`${T}.list.pinKid`), children: <Typography.Text code>{p.pinnedKid}</Typography.Text> },
              { key: 'issued', label: t(`${T}.list.issuedAt`), children: formatDateTime(p.list.issuedAt, locale) },
              { key: 'next', label: t(`${T}.partners.nextUpdate`), children: formatDateTime(p.list.nextUpdate, locale) },
              { key: 'fetched', label: t(`${T}.partners.lastFetchedAt`), children: p.lastFetchedAt ? formatDateTime(p.lastFetchedAt, locale) : t('console.c.never') },
              ...(p.lastError ? [{ key: 'err', label: t(`${T}.partners.lastError`), span: 2, children: <Typography.Text type="danger">{`${p.lastError}（${formatDateTime(p.lastErrorAt, locale)}）`}</Typography.Text> }] : []),
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t(`${T}.partners.contents`)}
          </Typography.Title>
          <Table<TrustListKey>
            size="small"
            rowKey="kid"
            pagination={false}
            dataSource={p.list.keys}
            data-testid="partner-keys"
            columns={[
              { title: t(`${T}.partners.issuers`), key: 'issuer', render: (_: unknown, k) => `${k.issuerName}（${k.issuer}）` },
              { title: t(`${T}.keys.use`), dataIndex: 'uses', width: 130, render: (u: string[]) => u.map((x) => <UseTag key={x} use={x} />) },
              { title: t(`${T}.keys.kid`), dataIndex: 'kid', width: 170, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { title: t(`${T}.keys.notBefore`), dataIndex: 'notBefore', width: 150, render: (v: string) => formatDateTime(v, locale, false) },
              { title: t(`${T}.keys.notAfter`), dataIndex: 'notAfter', width: 150, render: (v: string | null) => (v ? formatDateTime(v, locale, false) : '—') },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function TrustPartners() {
  const { t } = useTranslation();
  const locale = useLocale();
  const notify = useNotify();
  const [showInactive, setShowInactive] = useState(false);
  const [registering, setRegistering] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const [uploading, setUploading] = useState<PartnerView | null>(null);
  const [form] = Form.useForm<RegisterForm>();
  const [uploadForm] = Form.useForm<{ trustListJws: string }>();
  const list = usePagedList<PartnerView>(['trust-partners'], '/api/trust/partners', { active: showInactive ? undefined : true });
  const register = useSave(
    (v: RegisterForm) =>
      api.post<PartnerView>('/api/trust/partners', {
        name: v.name.trim(),
        pinnedJwk: parsePin(v.pin),
        ...(v.source === 'url' ? { url: v.url!.trim() } : { trustListJws: v.trustListJws!.trim() }),
      }),
    { refresh: 'trust-partners', ok: () => t(`${T}.partners.registered`), then: () => setRegistering(false) },
  );
  // A refresh that worked clears lastError; one that failed (or found the pin broken) sets it.
  const afterRefresh = (p: PartnerView) => (p.lastError ? notify.fail(new Error(t(`${T}.partners.refreshFailed`, { error: p.lastError }))) : notify.ok(t(`${T}.partners.refreshed`, { seq: p.seq })));
  const refresh = useSave((p: PartnerView) => api.post<PartnerView>(`/api/trust/partners/${p.id}/refresh`), { refresh: 'trust-partners', then: afterRefresh });
  const upload = useSave((v: { trustListJws: string }) => api.post<PartnerView>(`/api/trust/partners/${uploading!.id}/refresh`, { trustListJws: v.trustListJws.trim() }), {
    refresh: 'trust-partners',
    then: (p) => {
      setUploading(null);
      afterRefresh(p);
    },
  });
  const deactivate = useSave((p: PartnerView) => api.del<PartnerView>(`/api/trust/partners/${p.id}`), { refresh: 'trust-partners', ok: () => t(`${T}.partners.deactivated`) });
  return (
    <div className="page">
      <Card variant="borderless" className="section-card" title={t(`${T}.partners.title`)}>
        <Typography.Paragraph type="secondary">{t(`${T}.partners.help`)}</Typography.Paragraph>
        <Toolbar create={{ label: t(`${T}.partners.register`), onClick: () => setRegistering(true), testId: 'partner-register' }}>
          <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
            {t(`${T}.partners.showInactive`)}
          </Checkbox>
        </Toolbar>
        <DataTable<PartnerView>
          {...list}
          rowKey="id"
          size="small"
          data-testid="trust-partners"
          scroll={{ x: 1420 }}
          locale={{ emptyText: t(`${T}.partners.none`) }}
          columns={[
            { title: t(`${T}.partners.name`), key: 'name', width: 140, render: (_: unknown, p) => <a onClick={() => setViewing(p.id)}>{`${p.name}`}</a> },
            { title: t(`${T}.partners.platformId`), key: 'platform', width: 190, render: (_: unknown, p) => `${p.platformName} · ${p.platformId}` },
            { title: t(`${T}.partners.state`), key: 'state', width: 170, render: (_: unknown, p) => <PartnerStateTag p={p} /> },
            { title: t(`${T}.partners.seq`), dataIndex: 'seq', width: 90 },
            { title: t(`${T}.partners.issuers`), dataIndex: 'issuers', width: 100, render: (v: string[]) => v.length },
            { title: t(`${T}.partners.nextUpdate`), dataIndex: 'nextUpdate', width: 170, render: (v: string) => formatDateTime(v, locale) },
            { title: t(`${T}.partners.lastFetchedAt`), dataIndex: 'lastFetchedAt', width: 170, render: (v: string | null) => (v ? formatDateTime(v, locale) : t(`${T}.partners.byUpload`)) },
            { title: t(`${T}.partners.lastError`), dataIndex: 'lastError', width: 240, render: (v: string | null) => (v ? <Typography.Text type="danger" ellipsis={{ tooltip: v }} style={{ maxWidth: 220 }}>{v}</Typography.Text> : '—') },
            ...actionsColumn<PartnerView>(
              t,
              (p) =>
                p.active ? (
                  <Space size={0}>
                    {p.url ? <RowButton onClick={() => refresh.mutate(p)}>{t(`${T}.partners.refresh`)}</RowButton> : <RowButton onClick={() => setUploading(p)}>{t(`${T}.partners.uploadNew`)}</RowButton>}
                    <ConfirmRowButton title={t(`${T}.partners.deactivateConfirm`)} onConfirm={() => deactivate.mutate(p)}>
                      {t(`${T}.partners.deactivate`)}
                    </ConfirmRowButton>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t(`${T}.partners.inactive`)}</Typography.Text>
                ),
              { width: 210 },
            ),
          ]}
        />
      </Card>
      <FormModal open={registering} title={t(`${T}.partners.register`)} form={form} onClose={() => setRegistering(false)} save={register} initialValues={{ source: 'url' }} width={640} okTestId="partner-register-ok">
        <Form.Item name="name" label={t(`${T}.partners.name`)} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
          <Input placeholder="烟台市" />
        </Form.Item>
        <Form.Item name="source" label={t(`${T}.partners.source`)}>
          <Radio.Group
            options={[
              { value: 'url', label: t(`${T}.partners.byUrl`) },
              { value: 'upload', label: t(`${T}.partners.byUpload`) },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['source']}>
          {({ getFieldValue }) =>
            getFieldValue('source') === 'upload' ? (
              <Form.Item name="trustListJws" label={t(`${T}.partners.jws`)} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={4} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
            ) : (
              <Form.Item name="url" label={t(`${T}.partners.url`)} extra={t(`${T}.partners.urlHelp`)} rules={[{ required: true }, { type: 'url' }, { max: 2000 }]}>
                <Input placeholder="https://yantai.example.gov.cn/api/trust/list" />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item
          name="pin"
          label={t(`${T}.partners.pin`)}
          extra={t(`${T}.partners.pinHelp`)}
          rules={[{ required: true }, { validator: async (_r, v: string) => (!v || parsePin(v) ? undefined : Promise.reject(new Error(t(`${T}.partners.pinInvalid`)))) }]}
        >
          <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} placeholder='{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…"}' />
        </Form.Item>
      </FormModal>
      <FormModal open={!!uploading} title={`${t(`${T}.partners.uploadNew`)} · ${uploading?.name ?? ''}`} form={uploadForm} onClose={() => setUploading(null)} save={upload} width={640}>
        <Form.Item name="trustListJws" label={t(`${T}.partners.jws`)} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </FormModal>
      <PartnerDrawer id={viewing} onClose={() => setViewing(null)} />
    </div>
  );
}
