// TypeBox shape of the personal home page (home.service.ts HomePage): services ranked for the caller, each
// with the rules that placed it there, matching bundles, the facts used, and applications to continue.
import { AnyJson, Enum, Nullable, Timestamp, Type } from '../../../platform/http/schema';
import { STATES } from '../applications/states';

const Text2 = Type.Object({ zh: Type.String(), en: Type.String() });

/** A rule that lifted an item or bundle, with the points it added (rules.ts). */
const Reason = Type.Object({ rule: Type.String(), label: Text2, weight: Type.Number() });

export const HomePageSchema = Type.Object({
  audience: Enum(['person', 'enterprise', 'staff']),
  /** What the ranking knew about the caller (account kind, age, district, life events …); each value its own shape. */
  facts: Type.Array(Type.Object({ key: Type.String(), label: Text2, value: AnyJson })),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      nameEn: Nullable(Type.String()),
      mode: Type.String(),
      ownerName: Nullable(Type.String()),
      zones: Type.Array(Type.String()),
      score: Type.Number(),
      reasons: Type.Array(Reason),
    }),
  ),
  bundles: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()), score: Type.Number(), reasons: Type.Array(Reason) })),
  continue: Type.Array(
    Type.Object({ id: Type.String(), itemName: Type.String(), state: Enum(STATES), stateLabel: Type.String(), bundleApplicationId: Nullable(Type.String()), updatedAt: Timestamp }),
  ),
});
