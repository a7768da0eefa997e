// Pieces the credit pages share: status tags, the record detail list and small formatters.
import { Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format';
import type { Locale } from '../../shared/types';
import { fieldName, fieldsOf } from '../../shared/credit/fields';
import type { CreditKind, CreditRecord, RecordStatus } from '../../shared/credit/types';

const RECORD_COLOURS: Record<RecordStatus, string> = { published: 'processing', expired: 'default', repaired: 'success' };

export function RecordStatusTag({ status }: { status: RecordStatus | string }) {
  const { t } = useTranslation();
  return <Tag color={RECORD_COLOURS[status as RecordStatus] ?? 'default'}>{t(`credit.recordStatus.${status}`, { defaultValue: status })}</Tag>;
}

const REPAIR_COLOURS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  resubmitted: 'processing',
  accepted: 'cyan',
  material_requested: 'warning',
  approved: 'success',
  withdrawn: 'success',
  synced: 'success',
  rejected: 'error',
};

export function RepairStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={REPAIR_COLOURS[state] ?? 'default'} data-testid="repair-state">
      {t(`credit.repairState.${state}`, { defaultValue: state })}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: CreditKind }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'licence' ? 'blue' : 'volcano'}>{t(`credit.kind.${kind}`)}</Tag>;
}

/** Every filled field of a record under its standard name, in the standard's order. */
export function RecordFields({ record, locale }: { record: CreditRecord; locale: Locale }) {
  const known = fieldsOf(record.kind).map((f) => f.code);
  const codes = [...known.filter((c) => record.record[c] !== undefined && record.record[c] !== null && record.record[c] !== ''), ...Object.keys(record.record).filter((c) => !known.includes(c))];
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 200 } }}
      items={codes.map((c) => ({
        key: c,
        label: (
          <span>
            {fieldName(c, locale)}
            <br />
            <code className="muted-code">{c}</code>
          </span>
        ),
        children: String(record.record[c] ?? ''),
      }))}
    />
  );
}

/** "2026-05-01" from an ISO date or instant; "—" when absent. */
export function day(v: string | null | undefined): string {
  if (!v) return '—';
  return v.length > 10 ? formatDate(v) : v;
}
