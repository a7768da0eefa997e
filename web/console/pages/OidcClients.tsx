import { useState } from 'react';
import { Card, Checkbox, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import type { OidcClient } from '../../shared/types';
import { ConfirmRowButton, DataTable, Toolbar, actionsColumn } from '../components/DataTable';
import { ShowOnceModal } from '../components/ShowOnceModal';
import { FormModal } from '../components/FormModal';
import { useLocale, useSave } from '../hooks';

interface CreateValues {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris?: string;
  clientType: 'confidential' | 'public';
  scopes: string[];
}

const SCOPES = ['openid', 'profile', 'offline_access'];

/** Form rule: every non-empty line is an absolute http(s) URL without a fragment. */
function uriLinesRule(message: (line: number) => string) {
  return {
    validator: async (_: unknown, text: string) => {
      parseUris(text ?? '').forEach((u, i) => {
        let ok = false;
        try {
          const p = new URL(u);
          ok = (p.protocol === 'https:' || p.protocol === 'http:') && !p.hash;
        } catch {
          ok = false;
        }
        if (!ok) throw new Error(message(i + 1));
      });
    },
  };
}

function parseUris(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function scopesOf(c: OidcClient): string[] {
  return c.scopes;
}

export default function OidcClients() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [form] = Form.useForm<CreateValues>();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; clientId: string; clientSecret: string | null } | null>(null);

  const list = useQuery({ queryKey: ['oidc-clients'], queryFn: () => api.get<ResponseOf<'/api/oidc/clients'>>('/api/oidc/clients') });
  const create = useSave(
    (v: CreateValues) =>
      api.post<ResponseOf<'/api/oidc/clients', 'post'>>('/api/oidc/clients', {
        name: v.name.trim(),
        redirectUris: parseUris(v.redirectUris),
        postLogoutRedirectUris: parseUris(v.postLogoutRedirectUris ?? ''),
        clientType: v.clientType,
        scopes: v.scopes,
      }),
    {
      refresh: 'oidc-clients',
      then: (r, v) => {
        setCreating(false);
        setShown({ name: r.name ?? v.name, clientId: r.clientId, clientSecret: r.clientSecret ?? null });
      },
    },
  );
  const disable = useSave((id: string) => api.del(`/api/oidc/clients/${encodeURIComponent(id)}`), { refresh: 'oidc-clients', ok: () => t('console.oidc.disabled') });

  return (
    <div className="page">
      <Card variant="borderless">
        <Toolbar create={{ label: t('console.oidc.create'), onClick: () => setCreating(true) }}>
          <Typography.Text type="secondary">{t('console.c.total', { count: list.data?.items.length ?? 0 })}</Typography.Text>
        </Toolbar>
        <DataTable<OidcClient>
          query={list}
          rows={list.data?.items}
          rowKey="clientId"
          pagination={false}
          scroll={{ x: 1350 }}
          columns={[
            { title: t('console.oidc.name'), dataIndex: 'name', width: 180 },
            { title: t('console.oidc.clientId'), dataIndex: 'clientId', width: 310, render: (v: string) => <Typography.Text code copyable className="nowrap">{v}</Typography.Text> },
            {
              title: t('console.oidc.type'),
              dataIndex: 'clientType',
              width: 120,
              className: 'nowrap',
              render: (v: string) => <Tag color={v === 'public' ? 'cyan' : 'purple'}>{v === 'public' ? t('console.oidc.publicShort') : t('console.oidc.confidentialShort')}</Tag>,
            },
            {
              title: t('console.oidc.redirectUris'),
              dataIndex: 'redirectUris',
              render: (uris: string[]) => (
                <div className="cell-stack">
                  {uris.map((u) => (
                    <code key={u} className="uri">
                      {u}
                    </code>
                  ))}
                </div>
              ),
            },
            {
              title: t('console.oidc.scopes'),
              key: 'scopes',
              width: 220,
              render: (_, c) => (
                <Space size={[0, 4]} wrap>
                  {scopesOf(c).map((s) => (
                    <Tag key={s}>{s}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('console.c.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v, locale, false) },
            {
              title: t('console.c.status'),
              dataIndex: 'disabledAt',
              width: 90,
              render: (v: string | null) => (v ? <Tag>{t('console.oidc.disabled')}</Tag> : <Tag color="success">{t('console.oidc.active')}</Tag>),
            },
            ...actionsColumn<OidcClient>(t, (c) =>
              c.disabledAt ? null : (
                <ConfirmRowButton title={t('console.oidc.disableConfirm')} onConfirm={() => disable.mutate(c.clientId)}>
                  {t('console.oidc.disable')}
                </ConfirmRowButton>
              ),
            ),
          ]}
        />
      </Card>
      <FormModal<CreateValues>
        open={creating}
        title={t('console.oidc.create')}
        form={form}
        onClose={() => setCreating(false)}
        save={create}
        width={600}
        initialValues={{ clientType: 'confidential', scopes: ['openid', 'profile'] }}
      >
        <Form.Item name="name" label={t('console.oidc.name')} rules={[{ required: true }, { max: 100 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="redirectUris"
          label={t('console.oidc.redirectUris')}
          extra={t('console.oidc.redirectHelp')}
          rules={[{ required: true }, uriLinesRule((line) => t('console.oidc.redirectInvalid', { line }))]}
        >
          <Input.TextArea rows={4} placeholder="https://app.example.gov.cn/callback" spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item
          name="postLogoutRedirectUris"
          label={t('console.oidc.postLogout')}
          extra={t('console.oidc.postLogoutHelp')}
          rules={[uriLinesRule((line) => t('console.oidc.redirectInvalid', { line }))]}
        >
          <Input.TextArea rows={2} spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="scopes" label={t('console.oidc.scopes')} extra={t('console.oidc.scopesHelp')}>
          <Checkbox.Group options={SCOPES.map((sc) => ({ value: sc, label: <code>{sc}</code>, disabled: sc === 'openid' }))} />
        </Form.Item>
        <Form.Item name="clientType" label={t('console.oidc.type')} rules={[{ required: true }]}>
          <Radio.Group>
            <Space orientation="vertical">
              <Radio value="confidential">{t('console.oidc.confidential')}</Radio>
              <Radio value="public">{t('console.oidc.public')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
      </FormModal>
      <ShowOnceModal
        open={!!shown}
        title={`${t('console.oidc.createdTitle')}${shown ? ` · ${shown.name}` : ''}`}
        fields={
          shown
            ? [
                { label: t('console.oidc.clientId'), value: shown.clientId },
                ...(shown.clientSecret ? [{ label: t('console.oidc.clientSecret'), value: shown.clientSecret, secret: true }] : []),
              ]
            : []
        }
        note={shown && !shown.clientSecret ? t('console.oidc.noSecret') : undefined}
        onClose={() => setShown(null)}
      />
    </div>
  );
}
