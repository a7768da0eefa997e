// The automatic-approval rule of an item (秒批), edited as JSON; the server checks it and its
// problems are listed by path.
import { useEffect, useState } from 'react';
import { Alert, Button, Input, Space, Switch, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, isStatus } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useLocale, useNotify } from '../hooks';
import type { AutoRule } from './types';

type RuleAnswer = ResponseOf<'/api/svc/items/{id}/auto-rule'>;

const EXAMPLE: AutoRule = {
  description: '申请人年满18周岁且已上传身份证明',
  clauses: [
    { id: 'adult', label: '申请人年满18周岁', test: { '>=': [{ age: [{ var: 'profile.birthDate' }] }, 18] } },
    { id: 'idCard', label: '已提交居民身份证', test: { var: ['materials.idCard', false] } },
  ],
};

export function AutoRuleEditor({ itemId, canWrite }: { itemId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const notify = useNotify();
  const qc = useQueryClient();
  const rule = useQuery({ queryKey: ['svc-auto-rule', itemId], queryFn: () => api.get<RuleAnswer>(`/api/svc/items/${itemId}/auto-rule`), retry: false });
  const missing = isStatus(rule.error, 404);
  const [text, setText] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (rule.data) {
      setText(JSON.stringify(rule.data.rule, null, 2));
      setEnabled(rule.data.enabled);
    } else if (missing) setText(JSON.stringify(EXAMPLE, null, 2));
  }, [rule.data, missing]);

  const save = async () => {
    let parsed: AutoRule;
    try {
      parsed = JSON.parse(text) as AutoRule;
    } catch (e) {
      setProblems([t('console.svc.rule.badJson', { msg: (e as Error).message })]);
      return;
    }
    setSaving(true);
    setProblems([]);
    try {
      await api.put(`/api/svc/items/${itemId}/auto-rule`, { rule: parsed, enabled });
      notify.ok(t('console.svc.rule.saved'));
      void qc.invalidateQueries({ queryKey: ['svc-auto-rule', itemId] });
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) {
        const errs =
          e.problem.errors?.map((p) => {
            const where = p.path.replace(/^\/body\/rule/, '') || '/';
            return p.message.startsWith(where) ? p.message : `${where}: ${p.message}`;
          }) ?? [];
        setProblems(errs.length ? errs : [e.problem.detail ?? e.message]);
      } else notify.fail(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size={12} className="full-width" data-testid="rule-editor">
      {!missing && <QueryError error={rule.error} onRetry={() => void rule.refetch()} />}
      <Typography.Paragraph type="secondary">{t('console.svc.rule.help')}</Typography.Paragraph>
      {missing && <Alert type="info" showIcon title={t('console.svc.rule.none')} />}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('console.svc.rule.serverErrors')}
          description={
            <ul className="problem-list" data-testid="rule-problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 14, maxRows: 32 }} className="mono" spellCheck={false} readOnly={!canWrite} data-testid="rule-json" />
      <Space>
        <Switch checked={enabled} onChange={setEnabled} disabled={!canWrite} /> {t('console.svc.rule.enabled')}
        {canWrite && (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="rule-save">
            {t('console.svc.rule.save')}
          </Button>
        )}
        {rule.data?.updatedAt && <Typography.Text type="secondary">{t('console.svc.rule.updatedAt', { at: formatDateTime(rule.data.updatedAt, locale, false) })}</Typography.Text>}
      </Space>
    </Space>
  );
}
