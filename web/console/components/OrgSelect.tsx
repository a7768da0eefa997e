import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Org, OrgKind } from '../../shared/types';
import { orgLabel, useLocale } from '../hooks';
import { RemoteSelect, type PickerProps } from './RemoteSelect';

/** Searchable organisation picker backed by GET /api/orgs?q=. */
export function OrgSelect({ kinds, ...props }: PickerProps & { kinds?: OrgKind[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <RemoteSelect<Org>
      {...props}
      queryKey="orgs"
      path="/api/orgs"
      params={{ kind: kinds?.length === 1 ? kinds[0] : undefined }}
      limit={30}
      filter={(o) => !kinds || kinds.includes(o.kind)}
      fetchOne={(id) => api.get<Org>(`/api/orgs/${encodeURIComponent(id)}`)}
      toOption={(o) => ({ value: o.id, label: orgLabel(o, locale), title: `${orgLabel(o, locale)} (${o.code})`, item: o })}
      optionRender={(o) => (
        <span className="org-option">
          <span>{o.label}</span>
          {o.item && (
            <span className="org-option-meta">
              <Tag variant="filled" className="tiny-tag">
                {t(`orgKind.${o.item.kind}`)}
              </Tag>
              {o.item.code}
            </span>
          )}
        </span>
      )}
    />
  );
}
