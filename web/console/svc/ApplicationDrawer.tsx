// One application for an officer: form values with their labels, materials to download, the history
// (who, why, "A acting for B"), the automatic-approval trace, and the decisions its state allows.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Drawer, Empty, Input, List, Popconfirm, Space, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, RobotOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { ResponseOf } from '../../shared/api-types';
import { formatDateTime } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { shortId, useCurrentMe, useLocale, useNotify } from '../hooks';
import { StateTag } from './common';
import { allowedActions, STAFF_TRANSITIONS, text2, type Application, type ApplicationDetail, type FormField, type HistoryEntry, type ItemVersion, type StaffAction, type TraceEntry } from './types';

const ACTION_BUTTON: Record<StaffAction, { type: 'primary' | 'default'; danger?: boolean }> = {
  accept: { type: 'primary' },
  approve: { type: 'primary' },
  complete: { type: 'primary' },
  request_correction: { type: 'default' },
  reject: { type: 'default', danger: true },
};

function formatValue(v: unknown, field: FormField | undefined, locale: 'zh-CN' | 'en', t: (k: string) => string): string {
  if (v === null || v === undefined || v === '') return '—';
  const opts = field?.validation?.options;
  const label = (x: unknown) => {
    const o = opts?.find((op) => op.value === x);
    return o ? text2(o.label, locale) : String(x);
  };
  if (Array.isArray(v)) return v.map(label).join('、');
  if (typeof v === 'boolean') return v ? t('console.c.yes') : t('console.c.no');
  return label(v);
}

function bytes(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function HistoryTimeline({ history, applicant }: { history: HistoryEntry[]; applicant: Application['applicant'] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const who = (h: HistoryEntry) => {
    if (h.onBehalfOf?.startsWith('rule:')) return t('console.svc.app.ruleActor', { rule: h.onBehalfOf.slice(5) });
    const actor = h.actor ?? t('console.svc.app.system');
    if (!h.onBehalfOf) return actor;
    return t('console.svc.app.actingFor', { a: actor, b: h.onBehalfOf === applicant.id ? applicant.name : shortId(h.onBehalfOf) });
  };
  return (
    <Timeline
      data-testid="app-history"
      items={history.map((h, i) => ({
        key: i,
        color: h.to === 'rejected' ? 'red' : h.to === 'correction_requested' ? 'orange' : h.to === 'approved' || h.to === 'completed' ? 'green' : 'blue',
        content: (
          <div className="history-entry" data-testid="history-entry">
            <Space size={6} wrap>
              <strong>{t(`console.svc.action.${h.action}`, { defaultValue: h.action })}</strong>
              {h.from && (
                <Typography.Text type="secondary">
                  {t(`console.svc.state.${h.from}`)} → {t(`console.svc.state.${h.to}`)}
                </Typography.Text>
              )}
            </Space>
            <div className="history-meta">
              {formatDateTime(h.at, locale, false)} · {who(h)}
            </div>
            {h.reason && <div className="history-reason">{t('console.svc.c.reason')}：{h.reason}</div>}
          </div>
        ),
      }))}
    />
  );
}

function TraceView({ trace, outcome, reason }: { trace: TraceEntry[]; outcome: string; reason: string }) {
  const { t } = useTranslation();
  const colour = { pass: 'success', fail: 'error', missing: 'warning' } as const;
  return (
    <div data-testid="auto-trace">
      <Alert
        type={outcome === 'approved' ? 'success' : 'warning'}
        showIcon
        icon={<RobotOutlined />}
        title={outcome === 'approved' ? t('console.svc.app.outcomeApproved') : t('console.svc.app.outcomeManual')}
        description={reason}
        className="trace-alert"
      />
      <List
        size="small"
        dataSource={trace}
        renderItem={(c) => (
          <List.Item>
            <div className="trace-row">
              <Space>
                <Tag color={colour[c.result]}>{t(`console.svc.app.result.${c.result}`)}</Tag>
                <span>{c.label}</span>
              </Space>
              {c.facts && Object.keys(c.facts).length > 0 && (
                <div className="trace-facts">
                  {Object.entries(c.facts).map(([k, v]) => (
                    <code key={k}>
                      {k} = {JSON.stringify(v)}
                    </code>
                  ))}
                </div>
              )}
            </div>
          </List.Item>
        )}
      />
    </div>
  );
}

export function ApplicationDrawer({ id, onClose, onOpen }: { id: string | null; onClose: () => void; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const me = useCurrentMe();
  const notify = useNotify();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const app = useQuery({ queryKey: ['svc-application', id], queryFn: () => api.get<ApplicationDetail>(`/api/applications/${id}`), enabled: !!id });
  const a = app.data;
  const version = useQuery({
    queryKey: ['svc-item-version', a?.item.id, a?.item.version],
    queryFn: () => api.get<ItemVersion>(`/api/svc/items/${a!.item.id}/versions/${a!.item.version}`),
    enabled: !!a,
    staleTime: Infinity,
  });
  const fields = version.data?.form.fields ?? [];
  const materialNames = new Map((version.data?.materials ?? []).map((m) => [m.key, m.name]));

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['svc-application', id] });
    void qc.invalidateQueries({ queryKey: ['svc-worklist'] });
  };
  const run = async (key: string, send: () => Promise<unknown>, ok: string) => {
    setBusy(key);
    try {
      await send();
      notify.ok(ok);
      setReason('');
      refresh();
    } catch (e) {
      notify.fail(e);
    } finally {
      setBusy(null);
    }
  };
  const act = (action: StaffAction) => {
    if (STAFF_TRANSITIONS[action].reasonRequired && !reason.trim()) {
      notify.fail(new Error(t('console.svc.c.reasonRequired')));
      return;
    }
    void run(action, () => api.post(`/api/svc/applications/${id}/actions`, { action, reason: reason.trim() || undefined }), t('console.svc.app.done', { action: t(`console.svc.action.${action}`) }));
  };

  const actions = a ? allowedActions(a.state) : [];
  const claimedByOther = !!a?.claimedBy && a.claimedBy.id !== me.user.id;
  const known = new Set(fields.map((f) => f.key));
  const extraKeys = a ? Object.keys(a.data).filter((k) => !known.has(k)) : [];
  // The other members of a one-thing bundle, as far as they are in my scope (another department's stay hidden).
  const bundle = useQuery({
    queryKey: ['svc-bundle-members', a?.bundleApplicationId],
    queryFn: () => api.get<ResponseOf<'/api/svc/worklist'>>('/api/svc/worklist', { bundleApplicationId: a!.bundleApplicationId!, limit: 50, offset: 0 }),
    enabled: !!a?.bundleApplicationId,
  });
  const members = (bundle.data?.items ?? []).filter((m) => m.id !== a?.id);

  return (
    <Drawer open={!!id} onClose={onClose} size={760} title={a ? `${a.item.name}` : t('console.svc.app.title')} destroyOnHidden data-testid="app-drawer">
      <QueryError error={app.error} onRetry={() => void app.refetch()} />
      {a && (
        <Space orientation="vertical" size={16} className="full-width">
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('console.svc.app.number')}>
              <Typography.Text copyable={{ text: a.id }} code>
                {shortId(a.id)}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.state')}>
              <Space size={4}>
                <StateTag state={a.state} />
                {a.bundleApplicationId && <Tag color="purple">{t('console.svc.worklist.bundle')}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.item')}>
              {a.item.code} · {t('console.svc.app.version', { v: a.item.version })}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.applicant')}>{a.applicant.name}</Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.submittedAt')}>{formatDateTime(a.submittedAt, locale, false)}</Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.due')}>
              {a.dueDate ? (
                <Typography.Text type={a.overdue ? 'danger' : undefined} strong={a.overdue}>
                  {a.dueDate}
                  {a.overdue ? ` · ${t('console.svc.worklist.overdue')}` : ''}
                </Typography.Text>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('console.svc.worklist.claimedBy')}>{a.claimedBy?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('console.svc.app.lastReason')}>{a.lastReason ?? '—'}</Descriptions.Item>
          </Descriptions>

          {members.length > 0 && (
            <Card size="small" title={t('console.svc.worklist.bundleMembers')}>
              <Space wrap>
                {members.map((m) => (
                  <Button key={m.id} size="small" onClick={() => onOpen(m.id)}>
                    {m.item.name} · {t(`console.svc.state.${m.state}`)}
                  </Button>
                ))}
              </Space>
            </Card>
          )}

          <Card size="small" title={t('console.svc.app.decide')} className="decide-card">
            {claimedByOther && <Alert type="warning" showIcon title={t('console.svc.app.claimFirst', { name: a.claimedBy?.name ?? '' })} className="trace-alert" />}
            {actions.length === 0 ? (
              <Typography.Text type="secondary">{t('console.svc.app.noActions')}</Typography.Text>
            ) : (
              <>
                <Input.TextArea
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder={t('console.svc.app.reasonPlaceholder')}
                  autoSize={{ minRows: 2, maxRows: 5 }}
                  maxLength={1000}
                  showCount
                  aria-label={t('console.svc.app.reasonLabel')}
                  data-testid="decision-reason"
                />
                <Space wrap className="decide-buttons">
                  {actions.map((action) => {
                    const style = ACTION_BUTTON[action];
                    const button = (
                      <Button key={action} type={style.type} danger={style.danger} loading={busy === action} disabled={claimedByOther || (busy !== null && busy !== action)} data-testid={`act-${action}`} onClick={action === 'reject' ? undefined : () => act(action)}>
                        {t(`console.svc.action.${action}`)}
                      </Button>
                    );
                    return action === 'reject' ? (
                      <Popconfirm key={action} title={t('console.svc.action.reject')} description={reason || t('console.svc.c.reasonRequired')} onConfirm={() => act(action)} okButtonProps={{ danger: true }}>
                        {button}
                      </Popconfirm>
                    ) : (
                      button
                    );
                  })}
                  {!a.claimedBy && !['completed', 'withdrawn'].includes(a.state) && (
                    <Button loading={busy === 'claim'} onClick={() => void run('claim', () => api.post(`/api/svc/applications/${a.id}/claim`), t('console.svc.worklist.claimed'))} data-testid="drawer-claim">
                      {t('console.svc.worklist.claim')}
                    </Button>
                  )}
                  {a.claimedBy?.id === me.user.id && (
                    <Button loading={busy === 'unclaim'} onClick={() => void run('unclaim', () => api.post(`/api/svc/applications/${a.id}/unclaim`), t('console.svc.worklist.unclaimed'))}>
                      {t('console.svc.worklist.unclaim')}
                    </Button>
                  )}
                </Space>
              </>
            )}
          </Card>

          <Card size="small" title={t('console.svc.app.formValues')}>
            <Descriptions size="small" column={1} bordered data-testid="app-values">
              {fields
                .filter((f) => f.key in a.data)
                .map((f) => (
                  <Descriptions.Item key={f.key} label={text2(f.label, locale)}>
                    {formatValue(a.data[f.key], f, locale, t)}
                  </Descriptions.Item>
                ))}
              {extraKeys.map((k) => (
                <Descriptions.Item key={k} label={k}>
                  {formatValue(a.data[k], undefined, locale, t)}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Card>

          <Card size="small" title={t('console.svc.app.materials')}>
            {a.materials.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.svc.app.noMaterials')} />
            ) : (
              <List
                size="small"
                dataSource={a.materials}
                renderItem={(m) => (
                  <List.Item
                    actions={
                      m.kind === 'upload'
                        ? [
                            <a key="dl" href={`/api/applications/${a.id}/materials/${encodeURIComponent(m.key)}`} download={m.fileName ?? m.key}>
                              <DownloadOutlined /> {t('console.svc.app.download')}
                            </a>,
                          ]
                        : []
                    }
                  >
                    <List.Item.Meta
                      title={materialNames.get(m.key) ?? m.key}
                      description={
                        m.kind === 'upload' ? (
                          `${m.fileName ?? ''} · ${bytes(m.size)} · ${formatDateTime(m.at, locale, false)}`
                        ) : (
                          m.certificate?.verifiedAt ? (
                            <span data-testid="material-certificate">
                              <SafetyCertificateOutlined /> <Tag color="green">{t('console.svc.app.certificateVerified', { type: m.certificateType ?? '' })}</Tag>
                              <br />
                              <Typography.Text type="secondary">
                                {t('console.svc.app.certificateFacts', { issuer: m.certificate.issuer, identifier: m.certificate.identifier ?? m.certificateId ?? '', at: formatDateTime(m.certificate.verifiedAt, locale, false) })}
                              </Typography.Text>
                            </span>
                          ) : (
                            <span>
                              <SafetyCertificateOutlined /> {t('console.svc.app.certificate', { type: m.certificateType ?? '', id: m.certificateId ?? '' })}
                            </span>
                          )
                        )
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>

          {a.auto?.trace && a.auto.trace.length > 0 && (
            <Card size="small" title={t('console.svc.app.trace')}>
              <TraceView trace={a.auto.trace} outcome={a.auto.outcome} reason={a.auto.reason} />
            </Card>
          )}

          <Card size="small" title={t('console.svc.app.history')}>
            <HistoryTimeline history={a.history} applicant={a.applicant} />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}
