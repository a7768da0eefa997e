import { useMemo, useState } from 'react';
import { Select, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Org, OrgKind, Page } from '../../shared/types';
import { orgLabel, useLocale } from '../hooks';

interface Props {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  kinds?: OrgKind[];
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  disabled?: boolean;
  id?: string;
}

/** Searchable organisation picker backed by GET /api/orgs?q=. */
export function OrgSelect({ value, onChange, kinds, placeholder, allowClear = true, style, disabled, id }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [q, setQ] = useState('');
  const kind = kinds?.length === 1 ? kinds[0] : undefined;

  const search = useQuery({
    queryKey: ['orgs', 'pick', q, kind ?? ''],
    queryFn: () => api.get<Page<Org>>('/api/orgs', { q, kind, limit: 30 }),
    staleTime: 30_000,
  });
  const selected = useQuery({
    queryKey: ['orgs', 'one', value],
    queryFn: () => api.get<Org>(`/api/orgs/${encodeURIComponent(value!)}`),
    enabled: !!value && !search.data?.items.some((o) => o.id === value),
    staleTime: 5 * 60_000,
  });

  const options = useMemo(() => {
    const list = [...(search.data?.items ?? [])].filter((o) => !kinds || kinds.includes(o.kind));
    if (selected.data && !list.some((o) => o.id === selected.data.id)) list.unshift(selected.data);
    return list.map((o) => ({
      value: o.id,
      label: orgLabel(o, locale),
      title: `${orgLabel(o, locale)} (${o.code})`,
      org: o,
    }));
  }, [search.data, selected.data, kinds, locale]);

  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      style={style}
      loading={search.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }}
      onOpenChange={(open) => !open && setQ('')}
      options={options}
      notFoundContent={search.isFetching ? t('loading') : t('empty')}
      optionRender={(opt) => (
        <span className="org-option">
          <span>{opt.data.label}</span>
          <span className="org-option-meta">
            <Tag variant="filled" className="tiny-tag">
              {t(`orgKind.${opt.data.org.kind}`)}
            </Tag>
            {opt.data.org.code}
          </span>
        </span>
      )}
    />
  );
}
