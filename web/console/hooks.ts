// Small helpers shared by the console pages.
import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../shared/api';
import { errorMessage } from '../shared/errors';
import { useMe } from '../shared/session';
import type { Locale, Me, OrgRef, Permission, Role } from '../shared/types';

export { useLocale } from '../shared/i18n';

/** The signed-in account; the console only renders pages once it is known. */
export function useCurrentMe(): Me {
  const me = useMe();
  return me.data as Me;
}

export function useCan(): (perm: string) => boolean {
  const me = useCurrentMe();
  return useCallback((perm: string) => !!me?.permissions.includes(perm), [me]);
}

export function useNotify() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return {
    ok: (text: string) => void message.success(text),
    fail: (err: unknown) => void message.error(errorMessage(err, t)),
  };
}

/**
 * A change sent to the server: on success the lists under `refresh` are reloaded, `ok` (when given)
 * says what was done and `then` runs; a failure is reported.
 */
export function useSave<V, R>(send: (v: V) => Promise<R>, opts: { refresh: string; ok?: (r: R, v: V) => string; then?: (r: R, v: V) => void }) {
  const notify = useNotify();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (r, v) => {
      if (opts.ok) notify.ok(opts.ok(r, v));
      void qc.invalidateQueries({ queryKey: [opts.refresh] });
      opts.then?.(r, v);
    },
    onError: notify.fail,
  });
}

export function orgLabel(o: Pick<OrgRef, 'name' | 'nameEn'> | null | undefined, locale: Locale): string {
  if (!o) return '';
  return locale === 'en' && o.nameEn ? o.nameEn : o.name;
}

// Names of the built-in roles, for accounts that may not read the role list (role.read).
const BUILTIN_ROLES: Record<string, [string, string]> = {
  admin: ['系统管理员', 'Administrator'],
  auditor: ['安全审计员', 'Auditor'],
  dept_admin: ['部门管理员', 'Department administrator'],
  dept_officer: ['部门工作人员', 'Department officer'],
  district_officer: ['区（市）工作人员', 'District officer'],
  operator: ['大屏值班员', 'Operations duty officer'],
  citizen: ['市民', 'Citizen'],
  enterprise: ['企业用户', 'Enterprise user'],
};

export function roleLabel(r: Pick<Role, 'nameZh' | 'nameEn'> | undefined, locale: Locale, code?: string): string {
  if (r) return locale === 'en' ? r.nameEn : r.nameZh;
  const b = code ? BUILTIN_ROLES[code] : undefined;
  if (b) return locale === 'en' ? b[1] : b[0];
  return code ?? '';
}

export function permLabel(p: Permission | undefined, locale: Locale): string {
  if (!p) return '';
  return locale === 'en' ? p.en : p.zh;
}

/** Roles, cached; empty when the account may not read them. */
export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => api.get<{ items: Role[] }>('/api/roles'),
    enabled,
    staleTime: 60_000,
    select: (d) => d.items,
  });
}

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<{ items: Permission[] }>('/api/permissions'),
    enabled,
    staleTime: 10 * 60_000,
    select: (d) => d.items,
  });
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and insecure contexts: fall back to a hidden textarea.
    try {
      const ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      const ok = document.execCommand('copy');
      document.body.removeChild(ta);
      return ok;
    } catch {
      return false;
    }
  }
}

/** Short form of a UUID for dense tables. */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
