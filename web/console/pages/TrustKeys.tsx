// Issuing keys and this platform's trust list: what partners need (list URL, the pinned signing key), and
// every key per organisation and use with its state and validity window; rotation asks first.
import { useState } from 'react';
import { Card, Descriptions, Input, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { ConfirmRowButton, DataTable, FilterSelect, Toolbar, actionsColumn, usePagedList } from '../components/DataTable';
import { QueryError } from '../components/QueryError';
import { useLocale, useSave } from '../hooks';
import { KeyStateTag, type KeyView, T, UseTag } from '../trust/shared';

const USES = ['city-code', 'certificate', 'status-list', 'trust-list'] as const;
const STATES = ['current', 'retired', 'expired'] as const;

function ListCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const list = useQuery({ queryKey: ['trust-keys', 'list'], queryFn: () => api.get<ResponseOf<'/api/trust/list'>>('/api/trust/list') });
  const pin = useQuery({ queryKey: ['trust-keys', 'pin'], queryFn: () => api.get<ResponseOf<'/api/trust/list-key'>>('/api/trust/list-key') });
  const l = list.data?.list;
  const base = l?.platform.url ?? window.location.origin;
  return (
    <Card variant="borderless" className="section-card" title={t(`${T}.list.title`)} data-testid="trust-list-card">
      <QueryError error={list.error ?? pin.error} onRetry={() => void list.refetch()} />
      <Typography.Paragraph type="secondary">{t(`${T}.list.help`)}</Typography.Paragraph>
      {l && (
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'platform', label: t(`${T}.list.platform`), children: `${locale === 'en' && l.platform.nameEn ? l.platform.nameEn : l.platform.name} · ${l.platform.id}` },
            { key: 'seq', label: t(`${T}.list.seq`), children: <span data-testid="trust-list-seq">{l.seq}</span> },
            { key: 'issued', label: t(`${T}.list.issuedAt`), children: formatDateTime(l.issuedAt, locale) },
            { key: 'next', label: t(`${T}.list.nextUpdate`), children: formatDateTime(l.nextUpdate, locale) },
            { key: 'keys', label: t(`${T}.list.keys`), children: l.keys.length },
            { key: 'kid', label: t(`${T}.list.pinKid`), children: pin.data ? <Typography.Text code copyable>{pin.data.kid}</Typography.Text> : '—' },
            { key: 'url', label: t(`${T}.list.url`), span: 2, children: <Typography.Text copyable data-testid="trust-list-url">{`${base}/api/trust/list`}</Typography.Text> },
            { key: 'jwks', label: t(`${T}.list.jwks`), span: 2, children: <Typography.Text copyable>{`${base}/api/trust/jwks`}</Typography.Text> },
            {
              key: 'pin',
              label: t(`${T}.list.pin`),
              span: 2,
              children: pin.data ? (
                <Typography.Paragraph copyable={{ text: JSON.stringify(pin.data) }} style={{ marginBottom: 0 }}>
                  <pre className="mono-block" style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="trust-list-pin">
                    {JSON.stringify(pin.data, null, 2)}
                  </pre>
                </Typography.Paragraph>
              ) : (
                '—'
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function KeysCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [orgCode, setOrgCode] = useState('');
  const [use, setUse] = useState<string | undefined>();
  const [state, setState] = useState<string | undefined>();
  const keys = usePagedList<KeyView>(['trust-keys', 'keys'], '/api/trust/keys', { orgCode: orgCode.trim() || undefined, use, state });
  const rotate = useSave((k: KeyView) => api.post<ResponseOf<'/api/trust/keys/rotate', 'post'>>('/api/trust/keys/rotate', { orgCode: k.orgCode, use: k.use }), {
    refresh: 'trust-keys',
    ok: (r) => t(`${T}.keys.rotated`, { kid: r.key.kid }),
  });
  return (
    <Card variant="borderless" className="section-card" title={t(`${T}.keys.title`)}>
      <Typography.Paragraph type="secondary">{t(`${T}.keys.help`)}</Typography.Paragraph>
      <Toolbar>
        <Input.Search allowClear placeholder={t(`${T}.keys.orgCode`)} style={{ width: 180 }} onSearch={setOrgCode} />
        <FilterSelect placeholder={t(`${T}.keys.use`)} value={use} onChange={setUse} width={160} options={USES.map((u) => ({ value: u, label: t(`${T}.use.${u}`) }))} />
        <FilterSelect placeholder={t(`${T}.keys.state`)} value={state} onChange={setState} width={180} options={STATES.map((s) => ({ value: s, label: t(`${T}.keyState.${s}`) }))} />
      </Toolbar>
      <DataTable<KeyView>
        {...keys}
        rowKey="id"
        size="small"
        data-testid="trust-keys"
        scroll={{ x: 1000 }}
        columns={[
          { title: t(`${T}.keys.org`), key: 'org', render: (_: unknown, k) => `${(locale === 'en' ? k.orgNameEn : null) ?? k.orgName ?? k.orgCode}（${k.use === 'trust-list' ? k.issuer : k.orgCode}）` },
          { title: t(`${T}.keys.use`), dataIndex: 'use', width: 140, render: (u: string) => <UseTag use={u} /> },
          { title: t(`${T}.keys.kid`), dataIndex: 'kid', width: 190, render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
          { title: t(`${T}.keys.state`), dataIndex: 'state', width: 160, render: (s: KeyView['state']) => <KeyStateTag state={s} /> },
          { title: t(`${T}.keys.notBefore`), dataIndex: 'notBefore', width: 170, render: (v: string) => formatDateTime(v, locale) },
          { title: t(`${T}.keys.notAfter`), dataIndex: 'notAfter', width: 170, render: (v: string | null) => (v ? formatDateTime(v, locale) : t(`${T}.keys.openEnd`)) },
          ...actionsColumn<KeyView>(
            t,
            (k) =>
              k.state === 'current' && k.use !== 'trust-list' ? (
                <ConfirmRowButton title={t(`${T}.keys.rotateConfirm`)} onConfirm={() => rotate.mutate(k)}>
                  {t(`${T}.keys.rotate`)}
                </ConfirmRowButton>
              ) : null,
            { width: 90 },
          ),
        ]}
      />
    </Card>
  );
}

export default function TrustKeys() {
  return (
    <div className="page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <ListCard />
        <KeysCard />
      </Space>
    </div>
  );
}

