// i18next set-up shared by the three apps: common strings here, each app adds its own.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from './types';

export const LOCALE_KEY = 'dq.locale';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

type Tree = { [k: string]: string | Tree };

const commonZh: Tree = {
  brand: { name: '数字青岛', nameEn: 'Digital Qingdao', city: '青岛市' },
  lang: { 'zh-CN': '简体中文', en: 'English', label: '语言', short: { 'zh-CN': '中', en: 'EN' } },
  action: {
    login: '登录',
    logout: '退出登录',
    cancel: '取消',
    confirm: '确定',
    save: '保存',
    back: '返回',
    retry: '重试',
    reload: '刷新',
    copy: '复制',
    copied: '已复制',
    close: '关闭',
    search: '搜索',
    reset: '重置',
    edit: '编辑',
    create: '新建',
  },
  login: {
    username: '用户名',
    usernamePlaceholder: '请输入用户名',
    password: '密码',
    passwordPlaceholder: '请输入密码',
    submit: '登录',
    submitting: '正在登录…',
    required: '请输入用户名和密码',
    mfaTitle: '两步验证',
    mfaHint: '请打开身份验证器应用，输入 6 位动态验证码。',
    code: '验证码',
    codePlaceholder: '6 位数字',
    verify: '验证',
    codeInvalid: '请输入 6 位数字验证码',
    useOtherAccount: '使用其他账号登录',
    enrolTitle: '启用两步验证',
    enrolHint: '按安全策略，此账号须先启用两步验证。请用身份验证器应用扫描二维码或手动输入密钥，然后输入应用显示的 6 位验证码。',
    secret: '密钥',
  },
  errors: {
    invalidCredentials: '用户名或密码错误',
    locked: '账号已被临时锁定',
    rateLimited: '尝试次数过多，请稍后再试',
    unauthorized: '登录已失效，请重新登录',
    forbidden: '您没有执行此操作的权限',
    noPermissionPage: '您没有访问此页面的权限',
    notFound: '请求的内容不存在',
    network: '网络连接失败，请检查网络后重试',
    server: '服务器出现问题，请稍后再试',
    generic: '操作失败',
    codeWrong: '验证码错误或已过期',
    disabled: '账号已停用',
  },
  kind: { citizen: '市民', enterprise: '企业', staff: '工作人员' },
  orgKind: { city: '市', district: '区（市）', department: '部门', subunit: '内设机构', enterprise: '企业' },
  status: { active: '正常', disabled: '已停用', locked: '已锁定' },
  loading: '加载中…',
  empty: '暂无数据',
};

const commonEn: Tree = {
  brand: { name: 'Digital Qingdao', nameEn: 'Digital Qingdao', city: 'Qingdao' },
  lang: { 'zh-CN': '简体中文', en: 'English', label: 'Language', short: { 'zh-CN': '中', en: 'EN' } },
  action: {
    login: 'Sign in',
    logout: 'Sign out',
    cancel: 'Cancel',
    confirm: 'OK',
    save: 'Save',
    back: 'Back',
    retry: 'Retry',
    reload: 'Refresh',
    copy: 'Copy',
    copied: 'Copied',
    close: 'Close',
    search: 'Search',
    reset: 'Reset',
    edit: 'Edit',
    create: 'New',
  },
  login: {
    username: 'Username',
    usernamePlaceholder: 'Enter your username',
    password: 'Password',
    passwordPlaceholder: 'Enter your password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    required: 'Enter your username and password',
    mfaTitle: 'Two-step verification',
    mfaHint: 'Open your authenticator app and enter the 6-digit code.',
    code: 'Code',
    codePlaceholder: '6 digits',
    verify: 'Verify',
    codeInvalid: 'Enter the 6-digit code',
    useOtherAccount: 'Sign in with another account',
    enrolTitle: 'Set up two-step verification',
    enrolHint:
      'Security policy requires two-step verification for this account. Scan the QR code with an authenticator app or enter the secret by hand, then type the 6-digit code it shows.',
    secret: 'Secret',
  },
  errors: {
    invalidCredentials: 'Wrong username or password',
    locked: 'The account is temporarily locked',
    rateLimited: 'Too many attempts, please try again later',
    unauthorized: 'Your session has ended, please sign in again',
    forbidden: 'You do not have permission for this action',
    noPermissionPage: 'You do not have permission to view this page',
    notFound: 'Not found',
    network: 'Network error, please check your connection and retry',
    server: 'Something went wrong on the server, please try again later',
    generic: 'The operation failed',
    codeWrong: 'The code is wrong or has expired',
    disabled: 'The account is disabled',
  },
  kind: { citizen: 'Citizen', enterprise: 'Enterprise', staff: 'Staff' },
  orgKind: { city: 'City', district: 'District', department: 'Department', subunit: 'Sub-unit', enterprise: 'Enterprise' },
  status: { active: 'Active', disabled: 'Disabled', locked: 'Locked' },
  loading: 'Loading…',
  empty: 'No data',
};

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
      'zh-CN': { translation: merge(commonZh, app.zh) },
      en: { translation: merge(commonEn, app.en) },
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

export type { Tree as I18nTree };
