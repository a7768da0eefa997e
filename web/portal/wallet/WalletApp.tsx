import type { ReactNode } from 'react';
import type { useSession } from '../../shared/session';

type Props = { me: ReturnType<typeof useSession>; signIn: ReactNode };

// Shell until its part is built (issue 4).
export function WalletApp(_props: Props) {
  return null;
}

// Shell until its part is built (issue 4).
export function VerifierApp(_props: Props) {
  return null;
}
