// The sign-in form behind the portal's and the big screen's login pages: the fields, the quick checks
// before anything is sent, the two steps (password, then a TOTP code) and the message to show. Each
// app only draws it in its own style.
import { useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { errorMessage } from './errors';
import { useLoginFlow, type LoginStep } from './session';
import type { Me } from './types';

type InputProps = InputHTMLAttributes<HTMLInputElement>;

/** Heading and explanation of the second step (a code from the app, or enrolling one first). */
export function codeStepText(step: LoginStep, t: TFunction): { title: string; hint: string } {
  return step === 'enrol' ? { title: t('login.enrolTitle'), hint: t('login.enrolHint') } : { title: t('login.mfaTitle'), hint: t('login.mfaHint') };
}

/** A failed step in words: a refused password reads differently from a refused code. */
export function loginErrorText(error: unknown, step: LoginStep, t: TFunction): string {
  return error ? errorMessage(error, t, step === 'password' ? 'login' : 'code') : '';
}

export function useLoginForm(me: Me | null | undefined) {
  const { t } = useTranslation();
  const flow = useLoginFlow(me);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [hint, setHint] = useState('');

  /** Submits whichever step is showing; checks the input first so an empty form never reaches the server. */
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (flow.step === 'password') {
      if (!username.trim() || !password) return setHint(t('login.required'));
      setHint('');
      await flow.submitPassword(username.trim(), password);
      setPassword('');
    } else {
      if (!/^\d{6}$/.test(code)) return setHint(t('login.codeInvalid'));
      setHint('');
      await flow.submitCode(code);
      setCode('');
    }
  };

  const message = hint || loginErrorText(flow.error, flow.step, t);

  /** Props for the three inputs; the apps add their own class names. */
  const fields = {
    username: {
      name: 'username',
      autoComplete: 'username',
      autoCapitalize: 'none',
      spellCheck: false,
      placeholder: t('login.usernamePlaceholder'),
      value: username,
      onChange: (e: ChangeEvent<HTMLInputElement>) => setUsername(e.target.value),
    },
    password: {
      name: 'password',
      type: 'password',
      autoComplete: 'current-password',
      placeholder: t('login.passwordPlaceholder'),
      value: password,
      onChange: (e: ChangeEvent<HTMLInputElement>) => setPassword(e.target.value),
    },
    code: {
      name: 'code',
      inputMode: 'numeric',
      autoComplete: 'one-time-code',
      pattern: '\\d{6}',
      maxLength: 6,
      placeholder: t('login.codePlaceholder'),
      value: code,
      onChange: (e: ChangeEvent<HTMLInputElement>) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6)),
      autoFocus: true,
    },
  } satisfies Record<string, InputProps>;

  return { ...flow, fields, submit, message, codeText: codeStepText(flow.step, t) };
}
