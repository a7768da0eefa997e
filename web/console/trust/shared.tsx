// Pieces both trust pages use: the state tags of keys and partners, and the shapes the API returns.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemOf, ResponseOf } from '../../shared/api-types';

export const T = 'console.trust';

/** A trust list body (the JWS payload), ours or a partner's. */
export type TrustList = ResponseOf<'/api/trust/list'>['list'];
export type TrustListKey = TrustList['keys'][number];
/** One of our signing keys. */
export type KeyView = ItemOf<'/api/trust/keys'>;
/** A partner platform whose trust list we hold. */
export type PartnerView = ItemOf<'/api/trust/partners'>;

const KEY_COLOUR: Record<KeyView['state'], string> = { current: 'green', retired: 'gold', expired: 'default' };
const PARTNER_COLOUR: Record<PartnerView['state'], string> = { fresh: 'green', warn: 'orange', stale: 'red', untrusted: 'red' };

export function KeyStateTag({ state }: { state: KeyView['state'] }) {
  const { t } = useTranslation();
  return <Tag color={KEY_COLOUR[state]}>{t(`${T}.keyState.${state}`)}</Tag>;
}

export function UseTag({ use }: { use: string }) {
  const { t } = useTranslation();
  return <Tag>{t(`${T}.use.${use}`, { defaultValue: use })}</Tag>;
}

export function PartnerStateTag({ p }: { p: Pick<PartnerView, 'state' | 'untrustedReason'> }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={PARTNER_COLOUR[p.state]} data-testid="partner-state">
      {t(`${T}.partnerState.${p.state}`)}
    </Tag>
  );
  if (!p.untrustedReason) return tag;
  return <Tooltip title={t(`${T}.partners.reason.${p.untrustedReason}`, { defaultValue: p.untrustedReason })}>{tag}</Tooltip>;
}
