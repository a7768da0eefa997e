// The sealed decision document of an approved application: one link on the application page.
import { useTranslation } from 'react-i18next';
import type { Application } from '../svc';

export function DecisionLink({ a }: { a: Pick<Application, 'id' | 'state' | 'decision'> }) {
  const { t } = useTranslation();
  if (!(a.state === 'approved' || a.state === 'completed') || a.decision?.decision !== 'approved') return null;
  return (
    <p className="seal-decision">
      <a className="btn btn-primary btn-block" href={`/api/svc/applications/${a.id}/decision.pdf`} download data-testid="decision-pdf">
        {t('seal.decision')}
      </a>
      <a className="link small" href="/seal/verify">
        {t('seal.title')}
      </a>
    </p>
  );
}
