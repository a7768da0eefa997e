import { useMemo, useRef, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Page, UserKind, UserRow } from '../../shared/types';

interface Props {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  kind?: UserKind;
  style?: React.CSSProperties;
  allowClear?: boolean;
  initial?: { id: string; label: string };
  id?: string;
}

/** Searchable user picker backed by GET /api/users?q=. */
export function UserSelect({ value, onChange, placeholder, kind, style, allowClear = true, initial, id }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const seen = useRef(new Map<string, string>(initial ? [[initial.id, initial.label]] : []));
  const search = useQuery({
    queryKey: ['users', 'pick', q, kind ?? ''],
    queryFn: () => api.get<Page<UserRow>>('/api/users', { q, kind, limit: 20 }),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list = (search.data?.items ?? []).map((u) => {
      const label = `${u.displayName} (${u.username})`;
      seen.current.set(u.id, label);
      return { value: u.id, label };
    });
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: seen.current.get(value) ?? value });
    return list;
  }, [search.data, value]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={placeholder}
      allowClear={allowClear}
      style={style}
      loading={search.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }}
      onOpenChange={(open) => !open && setQ('')}
      options={options}
      notFoundContent={search.isFetching ? t('loading') : t('empty')}
    />
  );
}
