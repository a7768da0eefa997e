import { useState } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { copyText, useNotify } from '../hooks';

export interface SecretField {
  label: string;
  value: string;
  secret?: boolean;
}

function CopyRow({ field }: { field: SecretField }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [done, setDone] = useState(false);
  return (
    <div className="secret-row">
      <Typography.Text type="secondary">{field.label}</Typography.Text>
      <div className="secret-value">
        <code data-testid={field.secret ? 'secret-value' : undefined}>{field.value}</code>
        <Button
          icon={done ? <CheckOutlined /> : <CopyOutlined />}
          onClick={async () => {
            if (await copyText(field.value)) {
              setDone(true);
              window.setTimeout(() => setDone(false), 2000);
            } else notify.fail(new Error(t('console.c.copyFailed')));
          }}
        >
          {done ? t('action.copied') : t('action.copy')}
        </Button>
      </div>
    </div>
  );
}

/** Shows freshly minted credentials exactly once, with copy buttons and a warning. */
export function ShowOnceModal({ open, title, fields, note, onClose }: { open: boolean; title: string; fields: SecretField[]; note?: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      keyboard={false}
      width={620}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          {t('console.c.iSavedIt')}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('console.c.showOnceWarning')} />
        {fields.map((f) => (
          <CopyRow key={f.label} field={f} />
        ))}
        {note && <Typography.Text type="secondary">{note}</Typography.Text>}
      </Space>
    </Modal>
  );
}
