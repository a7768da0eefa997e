import type { UserKind, UserRow } from '../../shared/types';
import { RemoteSelect, type PickerProps } from './RemoteSelect';

/** Searchable user picker backed by GET /api/users?q=. */
export function UserSelect({ kind, initial, ...props }: PickerProps & { kind?: UserKind; initial?: { id: string; label: string } }) {
  return (
    <RemoteSelect<UserRow>
      {...props}
      queryKey="users"
      path="/api/users"
      params={{ kind }}
      limit={20}
      initial={initial && { value: initial.id, label: initial.label }}
      toOption={(u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })}
    />
  );
}
