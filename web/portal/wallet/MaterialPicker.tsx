// In an application's material list: offer the applicant's own wallet certificates of the material's
// type in place of an upload. Choosing one is the applicant's consent; the server checks it (claimed by
// them, valid, not expired) and the officer sees it as verified.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import type { ItemOf, ResponseOf } from '../../shared/api-types';
import { errorMessage } from '../../shared/errors';

type WalletCertRow = ItemOf<'/api/wallet/certificates'>;

export function WalletMaterialPicker({ appId, materialKey, certificateType, chosenId, onChanged }: { appId: string; materialKey: string; certificateType: string; chosenId?: string | null; onChanged: () => void }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const mine = useQuery({ queryKey: ['wallet', 'mine'], queryFn: () => api.get<ResponseOf<'/api/wallet/certificates'>>('/api/wallet/certificates', { limit: 100 }) });
  const usable = (mine.data?.items ?? []).filter((c) => c.typeName === certificateType && c.status === 'valid');
  const use = async (c: WalletCertRow) => {
    setProblem('');
    setBusy(true);
    try {
      await api.post(`/api/applications/${appId}/certificates`, { materialKey, certificateTypeName: certificateType, certificateId: c.certificateId });
      onChanged();
    } catch (e) {
      setProblem(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  if (mine.isPending) return null;
  return (
    <div className="material-actions" data-testid={`wallet-pick-${materialKey}`}>
      {usable.length ? (
        usable.map((c) =>
          c.certificateId === chosenId ? null : (
            <button key={c.certificateId} type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void use(c)} data-testid="use-wallet-certificate">
              {t('wallet.material.use', { name: certificateType, number: c.number })}
            </button>
          ),
        )
      ) : (
        <span className="muted small">
          {t('wallet.material.none', { name: certificateType })}{' '}
          <Link to="/wallet" className="link">
            {t('wallet.material.claim')}
          </Link>
        </span>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
