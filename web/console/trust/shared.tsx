// Pieces both trust pages use: the state tags of keys and partners, and the shapes the API returns.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

export const T = 'console.trust';

export interface TrustListKey {
  kid: string;
  issuer: string;
  issuerName: string;
  uses: string[];
  jwk: JsonWebKey;
  notBefore: string;
  notAfter: string | null;
}

export interface TrustList {
  version: 1;
  platform: { id: string; name: string; nameEn?: string; url: string };
  seq: number;
  issuedAt: string;
  nextUpdate: string;
  keys: TrustListKey[];
}

export interface KeyView {
  id: string;
  orgCode: string;
  orgName: string | null;
  orgNameEn: string | null;
  issuer: string;
  use: string;
  kid: string;
  state: 'current' | 'retired' | 'expired';
  notBefore: string;
  notAfter: string | null;
  createdAt: string;
}

export interface PartnerView {
  id: string;
  name: string;
  url: string | null;
  platformId: string;
  platformName: string;
  pinnedKid: string;
  state: 'fresh' | 'warn' | 'stale' | 'untrusted';
  untrustedReason: string | null;
  active: boolean;
  seq: number;
  listId: string;
  issuedAt: string;
  nextUpdate: string;
  keyCount: number;
  issuers: string[];
  lastFetchedAt: string | null;
  acceptedAt: string;
  lastError: string | null;
  lastErrorAt: string | null;
  createdAt: string;
  deactivatedAt: string | null;
}

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
