// One credit repair as staff see it: the penalty, the commitment letter, the statement, the
// materials, deadlines and the timeline.
import { Alert, Card, Collapse, Descriptions, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { ClockCircleOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import type { Locale } from '../../shared/types';
import { RecordFields, RepairStateTag, day } from './common';
import { isPast, materialUrl, repairDeadlines } from '../../shared/credit/deadlines';
import type { Repair } from '../../shared/credit/types';

export function RepairView({ repair, locale }: { repair: Repair; locale: Locale }) {
  const { t } = useTranslation();
  const deadlines = repairDeadlines(repair);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="repair-view">
      {repair.overdue && <Alert type="error" showIcon title={t('credit.repair.overdueAlert')} />}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'state', label: t('credit.repair.state'), children: <RepairStateTag state={repair.state} /> },
          { key: 'subject', label: t('credit.repair.subject'), children: `${repair.penalty?.subjectName ?? ''} ${repair.subjectCode ?? ''}` },
          ...(repair.deptName ? [{ key: 'dept', label: t('credit.repair.dept'), children: repair.deptName }] : []),
          ...(repair.penalty
            ? [
                { key: 'doc', label: t('credit.repair.docNo'), children: repair.penalty.documentNo ?? String(repair.penalty.record.CF_WSH ?? '') },
                { key: 'decided', label: t('credit.publish.decided'), children: day(repair.penalty.decisionDate ?? String(repair.penalty.record.CF_JDRQ ?? '')) },
                { key: 'content', label: t('credit.repair.penaltyContent'), children: `${repair.penalty.record.CF_CFLB ?? ''}：${repair.penalty.record.CF_NR ?? ''}`, span: 2 },
              ]
            : []),
          { key: 'created', label: t('credit.repair.createdAt'), children: formatDateTime(repair.createdAt, locale, false) },
          { key: 'submitted', label: t('credit.repair.submittedAt'), children: repair.submittedAt ? formatDateTime(repair.submittedAt, locale, false) : '—' },
          ...deadlines.map((d) => ({
            key: `due-${d.key}`,
            label: t(`credit.repairDue.${d.key}`, { defaultValue: d.key }),
            children: (
              <span className={isPast(d.at) && !['rejected', 'withdrawn', 'synced'].includes(repair.state) ? 'overdue-text' : undefined}>
                <ClockCircleOutlined /> {day(d.at)}
              </span>
            ),
          })),
          ...(repair.reason ? [{ key: 'reason', label: t('credit.repair.reason'), children: repair.reason, span: 2 }] : []),
        ]}
      />
      <Card size="small" title={t('credit.repair.statement')} variant="outlined">
        <Typography.Paragraph className="pre-wrap">{repair.statement || '—'}</Typography.Paragraph>
      </Card>
      <Card size="small" title={t('credit.repair.materials')} variant="outlined">
        {repair.materials?.length ? (
          <ul className="material-list">
            {repair.materials.map((m) => (
              <li key={m.id}>
                <PaperClipOutlined />{' '}
                <a href={materialUrl(repair.id, m)} download={m.fileName}>
                  {m.fileName}
                </a>{' '}
                <Tag>{t(`credit.material.${m.key}`, { defaultValue: m.key })}</Tag>
                {m.createdAt && <span className="muted-small">{formatDateTime(m.createdAt, locale, false)}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credit.repair.noMaterials')} />
        )}
      </Card>
      <Card size="small" title={t('credit.repair.commitment')} variant="outlined">
        {repair.commitmentText ? <pre className="commitment-text">{repair.commitmentText}</pre> : <Typography.Text type="secondary">{t('credit.repair.noCommitment')}</Typography.Text>}
        {repair.commitmentAccepted && <Tag color="success">{t('credit.repair.commitmentAccepted')}</Tag>}
      </Card>
      <Card size="small" title={t('credit.repair.timeline')} variant="outlined">
        {repair.timeline?.length ? (
          <Timeline
            items={repair.timeline.map((e, i) => {
              const what = e.action ?? e.to ?? e.state ?? '';
              return {
                key: i,
                color: what === 'reject' ? 'red' : what === 'approve' || what === 'withdraw' || what === 'sync' ? 'green' : what === 'request-material' ? 'orange' : 'blue',
                content: (
                  <div>
                    <strong>{t(`credit.repairAction.${what}`, { defaultValue: t(`credit.repairState.${what}`, { defaultValue: what }) })}</strong>
                    <span className="muted-small"> · {formatDateTime(e.at, locale, false)}</span>
                    {e.actorName && <span className="muted-small"> · {e.actorName}</span>}
                    {e.reason && <div className="pre-wrap">{e.reason}</div>}
                  </div>
                ),
              };
            })}
          />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        )}
      </Card>
      {repair.penalty && (
        <Collapse
          size="small"
          items={[{ key: 'penalty', label: t('credit.repair.penalty'), children: <RecordFields record={repair.penalty} locale={locale} /> }]}
        />
      )}
    </Space>
  );
}
