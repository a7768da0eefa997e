import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Popconfirm, QRCode, Row, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, SafetyOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { ME_KEY } from '../../shared/session';
import type { Me } from '../../shared/types';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { orgLabel, permLabel, roleLabel, useCurrentMe, useLocale, useNotify, usePermissions, useRoles, useCan } from '../hooks';

type TotpSetup = ResponseOf<'/api/auth/totp/setup', 'post'>;

function Profile() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const locale = useLocale();
  const can = useCan();
  const roles = useRoles(can('role.read'));
  const perms = usePermissions();
  const notify = useNotify();
  const qc = useQueryClient();
  const [name, setName] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (displayName: string) => api.patch<ResponseOf<'/api/auth/me', 'patch'>>('/api/auth/me', { displayName }),
    onSuccess: (r, displayName) => {
      qc.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: r?.user ?? { ...old.user, displayName } } : old));
      setName(null);
      notify.ok(t('console.c.saved'));
    },
    onError: notify.fail,
  });
  const u = me.user;
  return (
    <Card variant="borderless" title={t('console.account.profile')} className="section-card">
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'username', label: t('console.account.username'), children: <code>{u.username}</code> },
          {
            key: 'name',
            label: t('console.account.displayName'),
            children: (
              <Space.Compact style={{ maxWidth: 360, width: '100%' }}>
                <Input value={name ?? u.displayName} onChange={(e) => setName(e.target.value)} maxLength={100} />
                <Button type="primary" disabled={name === null || !name.trim() || name === u.displayName} loading={save.isPending} onClick={() => name && save.mutate(name.trim())}>
                  {t('action.save')}
                </Button>
              </Space.Compact>
            ),
          },
          { key: 'kind', label: t('console.account.kind'), children: t(`kind.${u.kind}`) },
          { key: 'org', label: t('console.account.org'), children: me.org ? `${orgLabel(me.org, locale)} (${me.org.code})` : t('console.header.cityLevel') },
          {
            key: 'roles',
            label: t('console.account.roles'),
            children: (
              <Space size={[0, 4]} wrap>
                {me.roles.map((r) => (
                  <Tag key={r} color="blue">
                    {roleLabel(roles.data?.find((x) => x.code === r), locale, r)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'perms',
            label: t('console.account.permissions'),
            children: (
              <Space size={[0, 4]} wrap>
                {me.permissions.map((p) => (
                  <Tag key={p}>{permLabel(perms.data?.find((x) => x.code === p), locale) || p}</Tag>
                ))}
              </Space>
            ),
          },
          { key: 'created', label: t('console.account.createdAt'), children: formatDateTime(u.createdAt, locale) },
        ]}
      />
    </Card>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api.post('/api/auth/password', v),
    onSuccess: () => {
      notify.ok(t('console.account.passwordChanged'));
      form.resetFields();
    },
    onError: notify.fail,
  });
  return (
    <Card variant="borderless" title={t('console.account.password')} className="section-card">
      <Form form={form} layout="vertical" style={{ maxWidth: 400 }} onFinish={(v) => change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}>
        <Form.Item name="currentPassword" label={t('console.account.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('console.account.newPassword')} extra={t('console.account.passwordHelp')} rules={[{ required: true }, { min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('console.account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_, v) => {
                if (v && v !== getFieldValue('newPassword')) throw new Error(t('console.account.passwordMismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('console.account.password')}
        </Button>
      </Form>
    </Card>
  );
}

function TwoFactor() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const notify = useNotify();
  const qc = useQueryClient();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: ME_KEY });

  const begin = useMutation({ mutationFn: () => api.post<TotpSetup>('/api/auth/totp/setup'), onSuccess: setSetup, onError: notify.fail });
  const confirm = useMutation({
    mutationFn: (c: string) => api.post('/api/auth/totp/confirm', { code: c }),
    onSuccess: async () => {
      setSetup(null);
      setCode('');
      notify.ok(t('console.account.totpEnabled'));
      await refresh();
    },
    onError: notify.fail,
  });
  const disable = useMutation({
    mutationFn: () => api.del('/api/auth/totp'),
    onSuccess: async () => {
      notify.ok(t('console.account.totpDisabled'));
      await refresh();
    },
    onError: notify.fail,
  });

  return (
    <Card variant="borderless" title={t('console.account.totp')} className="section-card">
      {me.user.totpEnabled ? (
        <Space orientation="vertical">
          <Typography.Text>
            <CheckCircleFilled style={{ color: '#52c41a', marginRight: 8 }} />
            {t('console.account.totpOn')}
          </Typography.Text>
          <Popconfirm title={t('console.account.totpDisableConfirm')} onConfirm={() => disable.mutate()} okButtonProps={{ danger: true }}>
            <Button danger loading={disable.isPending}>
              {t('console.account.totpDisable')}
            </Button>
          </Popconfirm>
        </Space>
      ) : setup ? (
        <Row gutter={24} align="middle">
          <Col flex="none">
            <QRCode value={setup.otpauthUri} size={180} />
          </Col>
          <Col flex="auto">
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Typography.Text>{t('console.account.totpScan')}</Typography.Text>
              <div>
                <Typography.Text type="secondary">{t('console.account.secret')}: </Typography.Text>
                <Typography.Text code copyable>
                  {setup.secret}
                </Typography.Text>
              </div>
              <div>
                <Typography.Text type="secondary">{t('console.account.uri')}: </Typography.Text>
                <Typography.Text copyable={{ text: setup.otpauthUri }} className="uri" ellipsis style={{ maxWidth: 360 }}>
                  {setup.otpauthUri}
                </Typography.Text>
              </div>
              <Typography.Text>{t('console.account.totpEnter')}</Typography.Text>
              <Space wrap>
                <Input.OTP length={6} value={code} onChange={setCode} autoComplete="one-time-code" />
                <Button type="primary" disabled={!/^\d{6}$/.test(code)} loading={confirm.isPending} onClick={() => confirm.mutate(code)}>
                  {t('console.account.totpConfirm')}
                </Button>
                <Button onClick={() => setSetup(null)}>{t('action.cancel')}</Button>
              </Space>
            </Space>
          </Col>
        </Row>
      ) : (
        <Space orientation="vertical">
          <Alert type="info" showIcon title={t('console.account.totpOff')} />
          <Button type="primary" icon={<SafetyOutlined />} loading={begin.isPending} onClick={() => begin.mutate()}>
            {t('console.account.totpEnable')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export default function Account() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Profile />
          <TwoFactor />
        </Col>
        <Col xs={24} xl={10}>
          <Card variant="borderless" title={t('console.account.language')} className="section-card">
            <Space orientation="vertical">
              <LanguageSwitch />
              <Typography.Text type="secondary">{t('console.account.languageHelp')}</Typography.Text>
            </Space>
          </Card>
          <ChangePassword />
        </Col>
      </Row>
    </div>
  );
}
