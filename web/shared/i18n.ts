// i18next set-up shared by the three apps: common strings here, each app adds its own.
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Locale } from './types';

export const LOCALE_KEY = 'dq.locale';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

type Tree = { [k: string]: string | Tree };

/** A string in both languages, Chinese first. */
type Pair = readonly [zh: string, en: string];
/** Strings written once per key, each leaf a [Chinese, English] pair, so the two languages cannot drift apart. */
export type BilingualTree = { readonly [k: string]: Pair | BilingualTree };

/** Splits a tree of [zh, en] pairs into the two resource trees i18next wants. */
export function bilingual(tree: BilingualTree): { zh: Tree; en: Tree } {
  const zh: Tree = {};
  const en: Tree = {};
  for (const [k, v] of Object.entries(tree)) {
    if (isPair(v)) {
      zh[k] = v[0];
      en[k] = v[1];
    } else {
      const sub = bilingual(v);
      zh[k] = sub.zh;
      en[k] = sub.en;
    }
  }
  return { zh, en };
}

function isPair(v: Pair | BilingualTree): v is Pair {
  return Array.isArray(v);
}

const common = bilingual({
  brand: { name: ['数字青岛', 'Digital Qingdao'], nameEn: ['Digital Qingdao', 'Digital Qingdao'], city: ['青岛市', 'Qingdao'] },
  lang: {
    'zh-CN': ['简体中文', '简体中文'],
    en: ['English', 'English'],
    label: ['语言', 'Language'],
    short: { 'zh-CN': ['中', '中'], en: ['EN', 'EN'] },
  },
  action: {
    login: ['登录', 'Sign in'],
    logout: ['退出登录', 'Sign out'],
    cancel: ['取消', 'Cancel'],
    confirm: ['确定', 'OK'],
    save: ['保存', 'Save'],
    back: ['返回', 'Back'],
    retry: ['重试', 'Retry'],
    reload: ['刷新', 'Refresh'],
    copy: ['复制', 'Copy'],
    copied: ['已复制', 'Copied'],
    close: ['关闭', 'Close'],
    search: ['搜索', 'Search'],
    reset: ['重置', 'Reset'],
    edit: ['编辑', 'Edit'],
    create: ['新建', 'New'],
  },
  login: {
    username: ['用户名', 'Username'],
    usernamePlaceholder: ['请输入用户名', 'Enter your username'],
    password: ['密码', 'Password'],
    passwordPlaceholder: ['请输入密码', 'Enter your password'],
    submit: ['登录', 'Sign in'],
    submitting: ['正在登录…', 'Signing in…'],
    required: ['请输入用户名和密码', 'Enter your username and password'],
    mfaTitle: ['两步验证', 'Two-step verification'],
    mfaHint: ['请打开身份验证器应用，输入 6 位动态验证码。', 'Open your authenticator app and enter the 6-digit code.'],
    code: ['验证码', 'Code'],
    codePlaceholder: ['6 位数字', '6 digits'],
    verify: ['验证', 'Verify'],
    codeInvalid: ['请输入 6 位数字验证码', 'Enter the 6-digit code'],
    useOtherAccount: ['使用其他账号登录', 'Sign in with another account'],
    enrolTitle: ['启用两步验证', 'Set up two-step verification'],
    enrolHint: [
      '按安全策略，此账号须先启用两步验证。请用身份验证器应用扫描二维码或手动输入密钥，然后输入应用显示的 6 位验证码。',
      'Security policy requires two-step verification for this account. Scan the QR code with an authenticator app or enter the secret by hand, then type the 6-digit code it shows.',
    ],
    secret: ['密钥', 'Secret'],
  },
  errors: {
    invalidCredentials: ['用户名或密码错误', 'Wrong username or password'],
    locked: ['账号已被临时锁定', 'The account is temporarily locked'],
    rateLimited: ['尝试次数过多，请稍后再试', 'Too many attempts, please try again later'],
    unauthorized: ['登录已失效，请重新登录', 'Your session has ended, please sign in again'],
    forbidden: ['您没有执行此操作的权限', 'You do not have permission for this action'],
    noPermissionPage: ['您没有访问此页面的权限', 'You do not have permission to view this page'],
    notFound: ['请求的内容不存在', 'Not found'],
    network: ['网络连接失败，请检查网络后重试', 'Network error, please check your connection and retry'],
    server: ['服务器出现问题，请稍后再试', 'Something went wrong on the server, please try again later'],
    generic: ['操作失败', 'The operation failed'],
    codeWrong: ['验证码错误或已过期', 'The code is wrong or has expired'],
    disabled: ['账号已停用', 'The account is disabled'],
  },
  kind: { citizen: ['市民', 'Citizen'], enterprise: ['企业', 'Enterprise'], staff: ['工作人员', 'Staff'] },
  orgKind: {
    city: ['市', 'City'],
    district: ['区（市）', 'District'],
    department: ['部门', 'Department'],
    subunit: ['内设机构', 'Sub-unit'],
    enterprise: ['企业', 'Enterprise'],
  },
  status: { active: ['正常', 'Active'], disabled: ['已停用', 'Disabled'], locked: ['已锁定', 'Locked'] },
  loading: ['加载中…', 'Loading…'],
  empty: ['暂无数据', 'No data'],
});

function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = typeof v === 'object' && prev && typeof prev === 'object' ? merge(prev, v) : v;
  }
  return out;
}

export function normaliseLocale(v: string | null | undefined): Locale | null {
  if (!v) return null;
  if (v === 'en' || v.toLowerCase().startsWith('en')) return 'en';
  if (v.toLowerCase().startsWith('zh')) return 'zh-CN';
  return null;
}

export function storedLocale(): Locale {
  try {
    return normaliseLocale(localStorage.getItem(LOCALE_KEY)) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function setupI18n(app: { zh: Tree; en: Tree }): typeof i18next {
  const lng = storedLocale();
  void i18next.use(initReactI18next).init({
    resources: {
      'zh-CN': { translation: merge(common.zh, app.zh) },
      en: { translation: merge(common.en, app.en) },
    },
    lng,
    fallbackLng: 'zh-CN',
    supportedLngs: LOCALES,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

/** Switch the UI language locally (no server call) and remember it in this browser. */
export function applyLocale(l: Locale): void {
  try {
    localStorage.setItem(LOCALE_KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = l;
  if (i18next.language !== l) void i18next.changeLanguage(l);
}

export function currentLocale(): Locale {
  return normaliseLocale(i18next.language) ?? 'zh-CN';
}

/** The UI language, re-rendering the component when it changes. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return normaliseLocale(i18n.language) ?? 'zh-CN';
}

export type { Tree as I18nTree };
