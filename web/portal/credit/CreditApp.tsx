// The portal's credit section: the public lookup for everyone, repair and profile for a signed-in
// enterprise (the sign-in form shows in place until then).
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import type { useSession } from '../../shared/session';
import { CreditLookup, CreditSubject } from './Lookup';
import { ApplyRepair, MyCreditProfile, MyPenalties, RepairProgress } from './Repair';
import { Spinner } from './shared';
import type { Me } from '../../shared/types';

export function CreditApp({ me, signIn }: { me: ReturnType<typeof useSession>; signIn: ReactNode }) {
  const signedIn = !!me.data && !me.data.mfaPending;
  const member = (page: (m: Me) => ReactNode) => (me.isPending ? <Spinner /> : signedIn ? page(me.data!) : signIn);
  return (
    <Routes>
      <Route index element={<CreditLookup />} />
      <Route path="subjects/:code" element={<CreditSubject />} />
      <Route path="repair" element={member((m) => <MyPenalties me={m} />)} />
      <Route path="repair/apply/:penaltyId" element={member((m) => <ApplyRepair me={m} />)} />
      <Route path="repairs/:id" element={member((m) => <RepairProgress me={m} />)} />
      <Route path="profile" element={member((m) => <MyCreditProfile me={m} />)} />
    </Routes>
  );
}
