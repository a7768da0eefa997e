// Issued certificates: paged list filtered by type, status, holder code or number (holder codes masked),
// and the issue form generated from the chosen type's fields.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Card, Checkbox, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format';
import { DataTable, FilterSelect, Toolbar, usePagedList } from '../components/DataTable';
import { useCan, useLocale } from '../hooks';
import { CertStatusTag, IssueModal, c, typeLabel, useCertTypes } from '../cert/common';
import type { CertListItem, CertStatus } from '../cert/types';

export default function CertCertificates() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNavigate();
  const can = useCan();
  const types = useCertTypes();
  const [typeId, setTypeId] = useState<string | undefined>();
  const [status, setStatus] = useState<CertStatus | undefined>();
  const [holderCode, setHolderCode] = useState('');
  const [number, setNumber] = useState('');
  const [expired, setExpired] = useState(false);
  const [issuing, setIssuing] = useState(false);
  const list = usePagedList<CertListItem>(['cert-certificates'], '/api/cert/certificates', { typeId, status, holderCode: holderCode || undefined, number: number || undefined, expired: expired || undefined });
  const canIssue = can('cert.issue') && (types.data?.items ?? []).some((x) => x.canIssue);
  return (
    <div className="page">
      <Card variant="borderless" className="section-card">
        <Toolbar create={canIssue && { label: t(`${c}.list.issue`), onClick: () => setIssuing(true), testId: 'cert-issue' }}>
          <FilterSelect placeholder={t(`${c}.list.typeFilter`)} value={typeId} onChange={setTypeId} width={200} options={(types.data?.items ?? []).map((x) => ({ value: x.id, label: typeLabel(x, locale) }))} testId="cert-filter-type" />
          <FilterSelect<CertStatus> placeholder={t(`${c}.list.statusFilter`)} value={status} onChange={setStatus} width={120} options={(['valid', 'suspended', 'revoked'] as const).map((s) => ({ value: s, label: t(`${c}.status.${s}`) }))} testId="cert-filter-status" />
          <Input.Search allowClear placeholder={t(`${c}.list.holderFilter`)} onSearch={(v) => setHolderCode(v.trim())} style={{ width: 230 }} data-testid="cert-filter-holder" />
          <Input.Search allowClear placeholder={t(`${c}.list.numberFilter`)} onSearch={(v) => setNumber(v.trim())} style={{ width: 200 }} />
          <Checkbox checked={expired} onChange={(e) => setExpired(e.target.checked)}>
            {t(`${c}.list.expiredFilter`)}
          </Checkbox>
        </Toolbar>
        <DataTable<CertListItem>
          {...list}
          rowKey="id"
          data-testid="cert-table"
          scroll={{ x: 1150 }}
          onRow={(r) => ({ onClick: () => nav(`/cert/certificates/${r.id}`), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t(`${c}.f.number`),
              key: 'number',
              width: 230,
              render: (_, r) => (
                <div className="cell-stack">
                  <a onClick={() => nav(`/cert/certificates/${r.id}`)}>{r.number}</a>
                  <Typography.Text type="secondary" className="muted-code" ellipsis style={{ maxWidth: 220 }}>
                    {r.identifier}
                  </Typography.Text>
                </div>
              ),
            },
            { title: t(`${c}.f.name`), key: 'type', width: 170, render: (_, r) => (locale === 'en' ? r.typeNameEn : r.typeName) },
            {
              title: t(`${c}.f.holder`),
              key: 'holder',
              width: 220,
              render: (_, r) => (
                <div className="cell-stack">
                  <span>{r.holderName}</span>
                  <span className="muted-code">{r.holderCodeMasked}</span>
                </div>
              ),
            },
            { title: t(`${c}.f.issuer`), dataIndex: 'issuerName', width: 150 },
            { title: t(`${c}.f.issuedOn`), dataIndex: 'issuedOn', width: 110, render: (v: string) => formatDate(v, locale) },
            { title: t(`${c}.f.validUntil`), dataIndex: 'validUntil', width: 110, render: (v: string | null) => (v ? formatDate(v, locale) : t(`${c}.f.longTerm`)) },
            { title: t(`${c}.f.status`), key: 'status', width: 140, render: (_, r) => <CertStatusTag status={r.status} expired={r.expired} /> },
          ]}
        />
      </Card>
      <IssueModal open={issuing} onClose={() => setIssuing(false)} onIssued={(d) => (setIssuing(false), nav(`/cert/certificates/${d.id}`))} />
    </div>
  );
}
