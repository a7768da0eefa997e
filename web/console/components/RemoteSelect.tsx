// A select that searches the server as one types (GET <path>?q=), for pickers over long lists.
import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../../shared/api';
import type { Page } from '../../shared/types';

export interface RemoteOption<T> {
  value: string;
  label: string;
  title?: string;
  item?: T;
}

/** What the pages pass to any picker (Form.Item supplies value, onChange and id). */
export interface PickerProps {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: CSSProperties;
  disabled?: boolean;
  id?: string;
}

interface Props<T> extends PickerProps {
  /** First part of the query keys, so invalidating that list refreshes the picker too. */
  queryKey: string;
  path: string;
  params?: Query;
  limit: number;
  toOption: (item: T) => RemoteOption<T>;
  /** Drops results the picker must not offer. */
  filter?: (item: T) => boolean;
  /** Loads the chosen item when the current results do not include it, for its label. */
  fetchOne?: (id: string) => Promise<T>;
  /** Label of the value the picker starts with. */
  initial?: RemoteOption<T>;
  optionRender?: (option: RemoteOption<T>) => ReactNode;
}

export function RemoteSelect<T>({ queryKey, path, params = {}, limit, toOption, filter, fetchOne, initial, optionRender, value, onChange, allowClear = true, ...rest }: Props<T>) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  // Labels of every option seen so far, for a chosen value the latest search no longer returns.
  const seen = useRef(new Map<string, RemoteOption<T>>(initial ? [[initial.value, initial]] : []));

  const search = useQuery({
    queryKey: [queryKey, 'pick', q, ...Object.values(params).map((v) => v ?? '')],
    queryFn: () => api.get<Page<T>>(path, { ...params, q, limit }),
    staleTime: 30_000,
  });
  const found = (search.data?.items ?? []).filter((item) => !filter || filter(item)).map(toOption);
  for (const o of found) seen.current.set(o.value, o);
  const missing = value && !found.some((o) => o.value === value) ? value : null;

  const chosen = useQuery({
    queryKey: [queryKey, 'one', value],
    queryFn: () => fetchOne!(missing!),
    enabled: !!fetchOne && !!missing,
    staleTime: 5 * 60_000,
  });
  const options = missing ? [chosen.data ? toOption(chosen.data) : (seen.current.get(missing) ?? { value: missing, label: missing }), ...found] : found;

  return (
    <Select<string, RemoteOption<T>>
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      allowClear={allowClear}
      loading={search.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }}
      onOpenChange={(open) => !open && setQ('')}
      options={options}
      notFoundContent={search.isFetching ? t('loading') : t('empty')}
      optionRender={optionRender && ((opt) => optionRender(opt.data))}
    />
  );
}
