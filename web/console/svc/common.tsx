// Pieces the service-hall pages share: vocabulary tags, cached reference lists and an item picker.
import { Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { RemoteSelect, type PickerProps } from '../components/RemoteSelect';
import type { AppState, CertificateType, Department, Hall, HandlingMode, Item, ItemStatus, ItemSummary, Zone } from './types';

const STATUS_COLOURS: Record<ItemStatus, string> = { draft: 'default', published: 'success', retired: 'warning' };
const MODE_COLOURS: Record<HandlingMode, string> = { auto: 'magenta', immediate: 'green', online: 'blue', counter: 'orange', no_action: 'purple' };
export const STATE_COLOURS: Record<AppState, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'blue',
  correction_requested: 'warning',
  resubmitted: 'cyan',
  approved: 'success',
  rejected: 'error',
  completed: 'green',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: ItemStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`console.svc.status.${status}`)}</Tag>;
}

export function ModeTag({ mode }: { mode: HandlingMode }) {
  const { t } = useTranslation();
  return (
    <Tag color={MODE_COLOURS[mode]} variant="outlined">
      {t(`console.svc.mode.${mode}`)}
    </Tag>
  );
}

export function StateTag({ state }: { state: AppState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOURS[state]} data-testid="app-state">
      {t(`console.svc.state.${state}`)}
    </Tag>
  );
}

/** Zones (all categories), cached for the session. */
export function useZones() {
  return useQuery({ queryKey: ['svc-zones'], queryFn: () => api.get<{ items: Zone[] }>('/api/public/svc/zones'), staleTime: 5 * 60_000, select: (d) => d.items });
}

export function useHalls() {
  return useQuery({ queryKey: ['svc-halls'], queryFn: () => api.get<{ items: Hall[] }>('/api/public/svc/halls'), staleTime: 60_000, select: (d) => d.items });
}

export function useDepartments() {
  return useQuery({ queryKey: ['svc-departments'], queryFn: () => api.get<{ items: Department[] }>('/api/public/svc/departments'), staleTime: 60_000, select: (d) => d.items });
}

export function useCertificateTypes() {
  return useQuery({ queryKey: ['svc-cert-types'], queryFn: () => api.get<{ items: CertificateType[] }>('/api/public/svc/certificate-types'), staleTime: 10 * 60_000, select: (d) => d.items });
}

/** Searchable picker over the items the caller may see (GET /api/svc/items?q=). */
export function ItemSelect(props: PickerProps & { status?: ItemStatus; cityOnly?: boolean; exclude?: Set<string> }) {
  const { status, cityOnly, exclude, ...rest } = props;
  return (
    <RemoteSelect<ItemSummary | Item>
      {...rest}
      queryKey="svc-items"
      path="/api/svc/items"
      params={{ status }}
      limit={30}
      filter={(i) => (!cityOnly || !i.districtCode) && !exclude?.has(i.id)}
      fetchOne={(id) => api.get<Item>(`/api/svc/items/${encodeURIComponent(id)}`)}
      toOption={(i) => ({ value: i.id, label: `${i.name}（${i.code}）`, title: `${i.name} ${i.code}`, item: i })}
    />
  );
}
