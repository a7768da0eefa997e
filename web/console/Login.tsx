import { useState } from 'react';
import { Alert, Button, Card, Form, Input, QRCode, Space, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLoginFlow } from '../shared/session';
import { codeStepText, loginErrorText } from '../shared/useLoginForm';
import type { Me } from '../shared/types';
import logoUrl from '../shared/favicon.svg';
import { LanguageSwitch } from './components/LanguageSwitch';

export function ConsoleLogin({ me }: { me: Me | null | undefined }) {
  const { t } = useTranslation();
  const flow = useLoginFlow(me);
  const [code, setCode] = useState('');

  const err = loginErrorText(flow.error, flow.step, t);
  const codeText = codeStepText(flow.step, t);

  return (
    <div className="login-bg">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <div className="login-wrap">
        <div className="login-brand">
          <img src={logoUrl} alt="" width={44} height={44} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('console.brand')} · {t('console.login.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('console.login.subtitle')}</Typography.Text>
          </div>
        </div>
        <Card className="login-card">
          {flow.step === 'password' ? (
            <Form
              layout="vertical"
              size="large"
              requiredMark={false}
              onFinish={(v: { username: string; password: string }) => void flow.submitPassword(v.username.trim(), v.password)}
            >
              <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernamePlaceholder') }]}>
                <Input prefix={<UserOutlined />} autoComplete="username" placeholder={t('login.usernamePlaceholder')} autoFocus />
              </Form.Item>
              <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordPlaceholder') }]}>
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder={t('login.passwordPlaceholder')} />
              </Form.Item>
              {err && <Alert type="error" showIcon title={err} className="login-alert" role="alert" />}
              <Button type="primary" htmlType="submit" block loading={flow.busy} data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Form>
          ) : (
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {codeText.title}
              </Typography.Title>
              <Typography.Text type="secondary">{codeText.hint}</Typography.Text>
              {flow.step === 'enrol' && flow.enrolment && (
                <div className="enrol-box">
                  <QRCode value={flow.enrolment.otpauthUri} size={160} bordered={false} />
                  <div>
                    <Typography.Text type="secondary">{t('login.secret')}</Typography.Text>
                    <Typography.Paragraph copyable code className="secret-text">
                      {flow.enrolment.secret}
                    </Typography.Paragraph>
                  </div>
                </div>
              )}
              <Input.OTP length={6} value={code} onChange={setCode} size="large" autoFocus autoComplete="one-time-code" />
              {err && <Alert type="error" showIcon title={err} role="alert" />}
              <Button type="primary" block size="large" loading={flow.busy} disabled={!/^\d{6}$/.test(code)} onClick={() => void flow.submitCode(code).then(() => setCode(''))}>
                {t('login.verify')}
              </Button>
              <Button type="link" block onClick={() => void flow.restart()}>
                {t('login.useOtherAccount')}
              </Button>
            </Space>
          )}
        </Card>
        <Typography.Text type="secondary" className="login-footer">
          {t('console.login.footer')}
        </Typography.Text>
      </div>
    </div>
  );
}
