// Citizen self-registration (POST /api/auth/register): real name, citizen ID number, optional mobile,
// then a username and password. Every field is checked in the browser first; what the server still
// refuses is shown under the field it concerns. Success signs the citizen in.
import { useState, type ChangeEvent, type FormEvent, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../shared/api';
import { errorMessage, fieldOf } from '../shared/errors';
import { useRegistration } from '../shared/session';
import { MOBILE_RE, USERNAME_RE, citizenIdProblem, normaliseCitizenId, passwordProblem, type CitizenIdProblem, type PasswordProblem } from '../shared/validation';
import { Alert, Field, SignedOutPage } from './ui';

const IDENTITY = ['displayName', 'idNumber', 'phone'] as const;
const ACCOUNT = ['username', 'password', 'confirm'] as const;
const FIELDS = [...IDENTITY, ...ACCOUNT];
type Key = (typeof FIELDS)[number];

/**
 * How each input behaves: the input attributes that suit it, whether it has a hint or is optional,
 * and how typed text is cleaned. Labels, placeholders and hints are register.<key>, …Placeholder, …Hint.
 */
const SPECS: Record<Key, { input: InputHTMLAttributes<HTMLInputElement>; hint?: true; optional?: true; clean?: (s: string) => string }> = {
  displayName: { input: { autoComplete: 'name', maxLength: 100 } },
  idNumber: {
    input: { className: 'mono-input', autoComplete: 'off', autoCapitalize: 'characters', spellCheck: false },
    clean: (s) => normaliseCitizenId(s).slice(0, 18),
  },
  phone: { input: { type: 'tel', inputMode: 'numeric', autoComplete: 'tel-national' }, optional: true, clean: (s) => s.replace(/\D/g, '').slice(0, 11) },
  username: { input: { autoComplete: 'username', autoCapitalize: 'none', spellCheck: false, maxLength: 64 }, hint: true },
  password: { input: { type: 'password', autoComplete: 'new-password' }, hint: true },
  confirm: { input: { type: 'password', autoComplete: 'new-password' } },
};
type Values = Record<Key, string>;
/** Translation keys of the problems, so a message follows a change of language. */
type Problems = Partial<Record<Key, string>>;

const E = 'register.errors.';
const ID_PROBLEMS: Record<CitizenIdProblem, string> = { format: `${E}idFormat`, 'birth-date': `${E}idBirthDate`, 'check-digit': `${E}idCheckDigit` };
const PASSWORD_PROBLEMS: Record<PasswordProblem, string> = { short: `${E}passwordShort`, long: `${E}passwordLong`, classes: `${E}passwordClasses` };

/** The problem with one field, as a translation key, or '' when there is none. */
function check(key: Key, v: Values): string {
  const value = key === 'password' || key === 'confirm' ? v[key] : v[key].trim();
  if (!value) return key === 'phone' ? '' : `${E}required`;
  switch (key) {
    case 'displayName':
      return value.length > 100 ? `${E}displayName` : '';
    case 'idNumber': {
      const p = citizenIdProblem(normaliseCitizenId(value));
      return p ? ID_PROBLEMS[p] : '';
    }
    case 'phone':
      return MOBILE_RE.test(value) ? '' : `${E}phone`;
    case 'username':
      return USERNAME_RE.test(value) ? '' : `${E}username`;
    case 'password': {
      const p = passwordProblem(value);
      return p ? PASSWORD_PROBLEMS[p] : '';
    }
    case 'confirm':
      return value === v.password ? '' : `${E}confirm`;
  }
}

/** The server's English message for a field, turned into one of ours. */
function serverProblem(key: Key, message: string): string {
  switch (key) {
    case 'idNumber':
      return /check-digit/.test(message) ? `${E}idCheckDigit` : /birth-date/.test(message) ? `${E}idBirthDate` : `${E}idFormat`;
    case 'password':
      return /at least 10/.test(message) ? `${E}passwordShort` : /at most/.test(message) ? `${E}passwordLong` : `${E}passwordClasses`;
    default:
      return `${E}${key}`;
  }
}

/** Field problems in a refusal (400 with field errors, 409 for a taken username or ID number); null when it is about no field. */
function problemsFromServer(err: unknown): Problems | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 409) {
    const detail = err.problem.detail ?? '';
    if (/ID number/i.test(detail)) return { idNumber: `${E}idTaken` };
    if (/username/i.test(detail)) return { username: `${E}usernameTaken` };
    return null;
  }
  if (err.status !== 400 || !err.problem.errors?.length) return null;
  const out: Problems = {};
  for (const e of err.problem.errors) {
    const key = fieldOf(e.path) as Key;
    if (!FIELDS.includes(key)) return null;
    out[key] ??= serverProblem(key, e.message);
  }
  return out;
}

export function Register() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const registration = useRegistration();
  const [values, setValues] = useState<Values>({ displayName: '', idNumber: '', phone: '', username: '', password: '', confirm: '' });
  const [problems, setProblems] = useState<Problems>({});
  // What the server refused, with the value it refused: shown until that field is changed.
  const [refused, setRefused] = useState<Partial<Record<Key, { problem: string; value: string }>>>({});
  // Kept as a key or the error itself, not as text, so it follows a change of language.
  const [failure, setFailure] = useState<{ key: string } | { error: unknown } | null>(null);

  const recheck = (keys: Key[], v: Values) =>
    setProblems((p) => {
      const next = { ...p };
      for (const k of keys) next[k] = check(k, v) || undefined;
      return next;
    });

  /** Typing fixes a shown problem at once; a new one waits until the field is left. */
  const onChange = (key: Key) => (e: ChangeEvent<HTMLInputElement>) => {
    const clean = SPECS[key].clean;
    const v = { ...values, [key]: clean ? clean(e.target.value) : e.target.value };
    setValues(v);
    const again = [key, ...(key === 'password' && values.confirm ? (['confirm'] as Key[]) : [])].filter((k) => problems[k]);
    if (again.length) recheck(again, v);
  };
  const onBlur = (key: Key) => () => {
    if (values[key]) recheck([key], values);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Problems = {};
    for (const k of FIELDS) {
      const p = check(k, values);
      if (p) found[k] = p;
    }
    setProblems(found);
    const first = FIELDS.find((k) => found[k]);
    if (first) {
      setFailure({ key: 'register.fixErrors' });
      document.getElementById(`field-${first}`)?.focus();
      return;
    }
    setFailure(null);
    try {
      await registration.mutateAsync({
        username: values.username.trim(),
        password: values.password,
        displayName: values.displayName.trim(),
        idNumber: normaliseCitizenId(values.idNumber),
        ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
      });
      navigate('/', { replace: true });
    } catch (err) {
      const fromServer = problemsFromServer(err);
      if (fromServer) {
        const sent = values;
        setRefused(Object.fromEntries(Object.entries(fromServer).map(([k, problem]) => [k, { problem, value: sent[k as Key] }])));
        setFailure({ key: 'register.fixErrors' });
        const firstBad = FIELDS.find((k) => fromServer[k]);
        if (firstBad) document.getElementById(`field-${firstBad}`)?.focus();
      } else {
        setFailure(err instanceof ApiError && err.status === 403 ? { key: 'register.closed' } : { error: err });
      }
    }
  };

  const problemOf = (key: Key) => problems[key] ?? (refused[key]?.value === values[key] ? refused[key].problem : undefined);

  const failureText = () => {
    if (!failure) return '';
    if (!('key' in failure)) return errorMessage(failure.error, t);
    // "Correct the fields below" goes once nothing below is marked any more.
    if (failure.key === 'register.fixErrors' && !FIELDS.some(problemOf)) return '';
    return t(failure.key);
  };

  const field = (key: Key) => {
    const problem = problemOf(key);
    return (
      <Field
        key={key}
        {...SPECS[key].input}
        name={key}
        label={t(`register.${key}`)}
        placeholder={t(`register.${key}Placeholder`)}
        hint={SPECS[key].hint && t(`register.${key}Hint`)}
        optional={SPECS[key].optional && t('register.optional')}
        value={values[key]}
        onChange={onChange(key)}
        onBlur={onBlur(key)}
        error={problem && t(problem)}
      />
    );
  };

  return (
    <SignedOutPage compact title={t('register.title')} subtitle={t('register.subtitle')}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="register-form">
        <fieldset>
          <legend>{t('register.identity')}</legend>
          <div className="privacy-note" data-testid="privacy-note">
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden>
              <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3Z" fill="currentColor" opacity="0.18" />
              <path d="M12 2 4 5v6c0 5 3.4 9.3 8 11 4.6-1.7 8-6 8-11V5l-8-3Z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
              <path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <div>
              <strong>{t('register.privacyTitle')}</strong>
              <p>{t('register.privacy')}</p>
            </div>
          </div>
          {IDENTITY.map(field)}
        </fieldset>
        <fieldset>
          <legend>{t('register.account')}</legend>
          {ACCOUNT.map(field)}
        </fieldset>
        <Alert message={failureText()} />
        <button className="btn btn-primary btn-block" type="submit" disabled={registration.isPending} data-testid="register-submit">
          {registration.isPending ? t('register.submitting') : t('register.submit')}
        </button>
        <p className="switch-line">
          {t('register.haveAccount')}
          <Link to="/" className="link">
            {t('register.loginLink')}
          </Link>
        </p>
      </form>
    </SignedOutPage>
  );
}
