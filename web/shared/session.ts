// Session state shared by the apps: who is signed in (GET /api/auth/me), the two-step login,
// sign-out and the per-user language preference.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, api, onAuthProblem, rememberCsrfToken, request } from './api';
import { LOCALES, applyLocale, currentLocale, normaliseLocale, useLocale } from './i18n';
import type { Locale, LoginResult, Me, PublicUser } from './types';

export const ME_KEY = ['auth', 'me'] as const;

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await request<Me>('GET', '/api/auth/me', undefined, { quiet401: true });
    rememberCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** The signed-in account, `null` when nobody is, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: 1 });
}

/**
 * Forget everything cached for the account. The session query is set to null first so the app
 * renders its login form (unmounting the pages) before their queries are dropped.
 */
function signedOut(qc: QueryClient): void {
  qc.setQueryData(ME_KEY, null);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] || q.queryKey[1] !== ME_KEY[1] });
}

/** Drop back to the login form whenever any request finds the session gone. */
export function useAuthWatch(qc: QueryClient): void {
  useEffect(
    () =>
      onAuthProblem(() => {
        if (qc.getQueryData<Me | null>(ME_KEY) !== null) signedOut(qc);
      }),
    [qc],
  );
}

/**
 * What every app does first: watch for a lost session, ask who is signed in and follow their
 * language. Returns the `useMe` query.
 */
export function useSession() {
  const qc = useQueryClient();
  useAuthWatch(qc);
  const me = useMe();
  useLocaleFromAccount(me.data);
  return me;
}

/** A sign-in (or a registration, which signs in) succeeded: keep its CSRF token and load the account. */
async function signedIn(qc: QueryClient, r: LoginResult): Promise<void> {
  rememberCsrfToken(r.csrfToken);
  await qc.refetchQueries({ queryKey: ME_KEY });
}

/** Keep the UI language in line with the account's saved preference when someone signs in. */
export function useLocaleFromAccount(me: Me | null | undefined): void {
  const userId = me?.user.id;
  const saved = normaliseLocale(me?.user.locale);
  useEffect(() => {
    if (userId && saved && saved !== currentLocale()) applyLocale(saved);
  }, [userId, saved]);
}

/** Change the language: at once in the UI, and on the account when someone is signed in. */
export function useChangeLocale() {
  const qc = useQueryClient();
  return useCallback(
    async (l: Locale) => {
      applyLocale(l);
      const me = qc.getQueryData<Me | null>(ME_KEY);
      if (me && !me.mfaPending) {
        const res = await api.patch<{ user: PublicUser }>('/api/auth/me', { locale: l });
        qc.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: res?.user ?? { ...old.user, locale: l } } : old));
      }
    },
    [qc],
  );
}

/**
 * The logic behind every language switch (each app draws its own): the current language, the
 * other one, and `choose`, which switches and reports whether saving it on the account worked.
 */
export function useLanguageSwitch(report?: { onSaved?: () => void; onError?: (err: unknown) => void }) {
  const change = useChangeLocale();
  const [busy, setBusy] = useState(false);
  const current = useLocale();
  const onSaved = report?.onSaved;
  const onError = report?.onError;
  const choose = useCallback(
    async (l: Locale) => {
      if (l === current) return;
      setBusy(true);
      try {
        await change(l);
        onSaved?.();
      } catch (e) {
        onError?.(e);
      } finally {
        setBusy(false);
      }
    },
    [change, current, onSaved, onError],
  );
  return { current, other: (current === 'en' ? 'zh-CN' : 'en') as Locale, locales: LOCALES, busy, choose };
}

export function useLogout() {
  const qc = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      /* the session may already be gone; the UI signs out either way */
    }
    signedOut(qc);
  }, [qc]);
}

export type LoginStep = 'password' | 'totp' | 'enrol';

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * The login state machine. The step follows the server: no session → password; a session still
 * waiting for its second factor → a TOTP code (or enrolment when the account has none yet).
 */
export function useLoginFlow(me: Me | null | undefined) {
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);

  const step: LoginStep = !me ? 'password' : me.mfaPending ? (me.user.totpEnabled ? 'totp' : 'enrol') : 'password';

  // A session that must enrol first gets its secret once the step shows.
  useEffect(() => {
    if (step !== 'enrol' || enrolment) return;
    let cancelled = false;
    api
      .post<Enrolment>('/api/auth/totp/setup')
      .then((r) => !cancelled && setEnrolment(r))
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [step, enrolment]);

  const submitPassword = useCallback(
    async (username: string, password: string) => {
      setBusy(true);
      setError(null);
      try {
        await signedIn(qc, await request<LoginResult>('POST', '/api/auth/login', { username, password }, { quiet401: true }));
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [qc],
  );

  const submitCode = useCallback(
    async (code: string) => {
      setBusy(true);
      setError(null);
      try {
        await api.post(step === 'enrol' ? '/api/auth/totp/confirm' : '/api/auth/totp/verify', { code });
        await qc.refetchQueries({ queryKey: ME_KEY });
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [qc, step],
  );

  const logout = useLogout();
  const restart = useCallback(async () => {
    setError(null);
    setEnrolment(null);
    await logout();
  }, [logout]);

  return { step, busy, error, enrolment, submitPassword, submitCode, restart, clearError: () => setError(null) };
}

/** What a citizen gives to open an account (POST /api/auth/register). */
export interface Registration {
  username: string;
  password: string;
  displayName: string;
  idNumber: string;
  phone?: string;
}

/** Opens a citizen account; the server signs the new citizen in, so the account is loaded after. */
export function useRegistration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Registration) => request<LoginResult>('POST', '/api/auth/register', body, { quiet401: true }),
    onSuccess: (r) => signedIn(qc, r),
  });
}

export function hasPermission(me: Me | null | undefined, perm: string): boolean {
  return !!me?.permissions.includes(perm);
}

export const ELDER_KEY = 'dq.elderMode';

function storedElderMode(): boolean {
  try {
    return localStorage.getItem(ELDER_KEY) === '1';
  } catch {
    return false;
  }
}

// This browser's choice, shared by every component that shows or applies it.
let localElder: boolean | null = null;
const elderListeners = new Set<() => void>();

function localElderMode(): boolean {
  if (localElder === null) localElder = storedElderMode();
  return localElder;
}

function subscribeElder(fn: () => void): () => void {
  elderListeners.add(fn);
  return () => elderListeners.delete(fn);
}

function rememberElderMode(on: boolean): void {
  localElder = on;
  try {
    localStorage.setItem(ELDER_KEY, on ? '1' : '0');
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  for (const fn of elderListeners) fn();
}

/**
 * Elder-friendly mode (适老化): the account's saved choice when someone is signed in, this
 * browser's otherwise. `set` applies it at once and saves it on the account when signed in.
 */
export function useElderMode() {
  const qc = useQueryClient();
  const { data: account } = useMe();
  const signedIn = !!account && !account.mfaPending;
  const local = useSyncExternalStore(subscribeElder, localElderMode, () => false);
  const on = signedIn && typeof account.user.elderMode === 'boolean' ? account.user.elderMode : local;
  const [busy, setBusy] = useState(false);

  const set = useCallback(
    async (next: boolean) => {
      rememberElderMode(next);
      const current = qc.getQueryData<Me | null>(ME_KEY);
      if (current && !current.mfaPending) {
        qc.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, elderMode: next } } : old));
        setBusy(true);
        try {
          const res = await api.patch<{ user: PublicUser }>('/api/auth/me', { elderMode: next });
          if (res?.user) qc.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: res.user } : old));
        } finally {
          setBusy(false);
        }
      }
    },
    [qc],
  );
  return { on, set, busy };
}
