// One data request: its summary, the step timeline (who, started, due, answered, working days taken,
// outcome, reason, escalations), the decisions the signed-in user may take, and after approval the grant.
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { LeftOutlined, SafetyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, isStatus } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/format';
import { QueryError } from '../components/QueryError';
import { useLocale } from '../hooks';
import { Days, DueCell, GradeTag, LevelTag, RequestStateTag } from '../share/exchange-common';
import { RequestActions } from '../share/request-actions';
import { consumerLabel, providerOf, resourceLabel, type RequestStep, type ShareRequest } from '../share/exchange-types';
import '../share/exchange-pages.css';

function stepColour(s: RequestStep): string {
  if (!s.answeredAt) return s.overdue ? 'red' : 'blue';
  if (s.outcome === 'refuse' || s.outcome === 'return') return 'red';
  if (s.outcome === 'withdrawn') return 'gray';
  return 'green';
}

const targetName = (x: string | { name: string | null } | null | undefined) => (typeof x === 'string' ? x : (x?.name ?? null));

function StepItem({ step: s }: { step: RequestStep }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const d = 'console.share.ex.detail';
  const who = s.assignee?.name;
  const escalations = s.escalations ?? [];
  return (
    <div data-testid="request-step">
      <Space size={6} wrap>
        <span className="exchange-step-title">{t(`console.share.ex.step.${s.kind}`, { defaultValue: s.kind })}</span>
        {who && <span>· {who}</span>}
        {s.outcome ? (
          <Tag color={s.outcome === 'refuse' || s.outcome === 'return' ? 'error' : s.outcome === 'withdrawn' ? 'default' : 'success'}>
            {t(`console.share.ex.outcome.${s.outcome}`, { defaultValue: s.outcome })}
          </Tag>
        ) : (
          <Tag color="processing">{t(`${d}.open`)}</Tag>
        )}
      </Space>
      <div className="exchange-step-meta">
        {t(`${d}.started`)} {formatDateTime(s.startedAt, locale, false)} · {t(`${d}.dueDate`)}{' '}
        {!s.answeredAt ? <DueCell dueDate={s.dueDate} dueAt={s.dueAt} overdue={s.overdue} escalationLevel={s.escalationLevel} /> : s.dueDate}
        {s.workingDays ? ` (${t('console.share.ex.c.days', { n: s.workingDays })})` : ''}
        {s.answeredAt && (
          <>
            {' '}
            · {t(`${d}.answered`)} {formatDateTime(s.answeredAt, locale, false)}
          </>
        )}
        {s.daysTaken !== undefined && s.daysTaken !== null && (
          <>
            {' '}
            · {t(`${d}.taken`)} <Days n={s.daysTaken} />
          </>
        )}
      </div>
      {s.recordedFrom?.name && (
        <div className="exchange-step-meta">
          {t(`${d}.recordedFrom`, { who: [s.recordedFrom.name, s.recordedFrom.organisation].filter(Boolean).join(' · ') })}
          {s.recordedFrom.answeredAt && ` · ${formatDateTime(s.recordedFrom.answeredAt, locale, false)}`}
        </div>
      )}
      {s.reason && <div className="exchange-step-reason">{s.reason}</div>}
      {escalations.length > 0 && (
        <div className="exchange-step-meta">
          {t('console.share.ex.escalation.title')}：
          {escalations.map((e, i) => (
            <Tag key={i} color={e.level >= 3 ? 'magenta' : 'orange'} bordered={false}>
              {t('console.share.ex.escalation.at', { level: t(`console.share.ex.escalation.${Math.min(Math.max(e.level, 1), 3)}`), at: formatDateTime(e.at, locale, false) })}
              {targetName(e.target) ? ` → ${targetName(e.target)}` : ''}
            </Tag>
          ))}
        </div>
      )}
    </div>
  );
}

export default function ShareRequest() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNavigate();
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: ['share', 'request', id], queryFn: () => api.get<ShareRequest>(`/api/share/requests/${id}`), enabled: !!id });
  const d = 'console.share.ex.detail';
  const c = 'console.share.ex.c';
  const back = (
    <Button type="link" icon={<LeftOutlined />} onClick={() => nav('/share/requests')} className="back-link">
      {t(`${d}.back`)}
    </Button>
  );
  if (q.isPending) return <Spin className="page-spin" />;
  if (isStatus(q.error, 404, 403)) return <Result status="404" title={t(`${d}.notFound`)} extra={back} />;
  const r = q.data;
  if (!r)
    return (
      <div className="page">
        {back}
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const p = providerOf(r);
  const cl = consumerLabel(r);
  const terms = r.terms;
  return (
    <div className="page" data-testid="request-detail">
      <div>{back}</div>
      <Space size={8} align="center" className="exchange-title-row">
        <Typography.Title level={4} className="page-title">
          {r.scenario} · {resourceLabel(r)}
        </Typography.Title>
        <RequestStateTag state={r.state} />
      </Space>
      <div>
        <RequestActions request={r} />
      </div>
      {r.needsPublication && r.state === 'provider' && <Alert type="info" showIcon className="exchange-form-alert" title={t(`${d}.needsPublication`)} />}
      {r.state === 'approved' && r.grantId && (
        <Alert
          type="success"
          showIcon
          className="exchange-form-alert"
          title={t(`${d}.grantIssued`)}
          action={
            <Button size="small" icon={<SafetyOutlined />} onClick={() => nav(`/share/grants?grant=${r.grantId}`)} data-testid="open-grant">
              {t(`${d}.grant`)}
            </Button>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <Card variant="borderless" size="small" title={t(`${d}.summary`)}>
            <Descriptions
              size="small"
              column={1}
              bordered
              styles={{ label: { width: 150 } }}
              items={[
                { key: 'kind', label: t(`${d}.kind`), children: r.kind === 'demand' ? t(`${d}.kindDemand`) : t(`${d}.kindResource`) },
                {
                  key: 'res',
                  label: t(`${c}.resource`),
                  children: (
                    <Space size={4} wrap>
                      <span>{resourceLabel(r)}</span>
                      {r.resource?.code && <code className="muted-code">{r.resource.code}</code>}
                      <GradeTag grade={r.resource?.grade} />
                    </Space>
                  ),
                },
                ...(r.kind === 'demand' && r.demandDescription ? [{ key: 'dd', label: t('console.share.ex.form.demandDescription'), children: <p className="exchange-pre">{r.demandDescription}</p> }] : []),
                { key: 'scenario', label: t(`${c}.scenario`), children: r.scenario },
                {
                  key: 'consumer',
                  label: t(`${c}.consumer`),
                  children: (
                    <div className="cell-stack">
                      <span>{cl.name}</span>
                      {cl.system && <code className="muted-code">{cl.system}</code>}
                    </div>
                  ),
                },
                {
                  key: 'provider',
                  label: t(`${c}.provider`),
                  children: (
                    <Space size={4}>
                      <span>{p.name ?? '—'}</span>
                      <LevelTag level={p.level} external={p.external} />
                    </Space>
                  ),
                },
                {
                  key: 'fields',
                  label: t(`${d}.fields`),
                  children: (
                    <Space size={[4, 4]} wrap data-testid="request-fields-asked">
                      {r.fields.map((f) => (
                        <Tag key={f} color={r.approvedFields && !r.approvedFields.includes(f) ? 'default' : 'blue'} bordered={false}>
                          {f}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                ...(r.approvedFields
                  ? [
                      {
                        key: 'approved',
                        label: t(`${d}.approvedFields`),
                        children: (
                          <Space size={[4, 4]} wrap data-testid="request-fields-approved">
                            {r.approvedFields.map((f) => (
                              <Tag key={f} color="green" bordered={false}>
                                {f}
                              </Tag>
                            ))}
                          </Space>
                        ),
                      },
                    ]
                  : []),
                { key: 'purpose', label: t(`${d}.purpose`), children: <p className="exchange-pre">{r.purpose}</p> },
                { key: 'legal', label: t(`${d}.legalBasis`), children: r.legalBasis },
                ...(r.rowFilter?.length ? [{ key: 'filter', label: t(`${d}.rowFilter`), children: r.rowFilter.map((f) => `${f.column} = ${f.equals}`).join(' ∧ ') }] : []),
                ...(terms
                  ? [
                      {
                        key: 'terms',
                        label: t(`${d}.terms`),
                        children: t(`${d}.termsText`, { quota: terms.quotaPerDay ?? '—', rate: terms.ratePerMinute ?? '—', expires: terms.expiresAt ? formatDate(terms.expiresAt, locale) : '—' }),
                      },
                    ]
                  : []),
                ...(r.decisionReason ? [{ key: 'reason', label: t(`${d}.decisionReason`), children: <p className="exchange-pre">{r.decisionReason}</p> }] : []),
                { key: 'submitted', label: t(`${c}.submittedAt`), children: formatDateTime(r.submittedAt, locale, false) },
                ...(r.answerDays !== null && r.answerDays !== undefined ? [{ key: 'days', label: t(`${d}.answerDays`), children: <Days n={r.answerDays} /> }] : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card variant="borderless" size="small" title={t(`${d}.timeline`)}>
            {r.steps?.length ? (
              <Timeline data-testid="request-timeline" items={r.steps.map((s) => ({ key: s.id, color: stepColour(s), content: <StepItem step={s} /> }))} />
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
