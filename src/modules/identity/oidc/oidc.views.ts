// Server-rendered pages of the provider: sign-in, second factor, consent, sign-out and errors.
// Plain HTML forms with inline CSS and no script at all (the CSP allows scripts from 'self' only).
export type Lang = 'zh' | 'en';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `?lang=` / form `lang` wins, then OIDC ui_locales, then the account's language, then Chinese. */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) {
    if (!c) continue;
    for (const tag of c.split(/[\s,]+/)) {
      const t = tag.trim().toLowerCase();
      if (t.startsWith('en')) return 'en';
      if (t.startsWith('zh')) return 'zh';
    }
  }
  return 'zh';
}

const T = {
  zh: {
    brand: '数字青岛',
    brandSub: '统一身份认证',
    other: 'English',
    otherLang: 'en',
    loginTitle: '登录',
    loginLead: (app: string) => `「${app}」请求使用您的数字青岛账号登录。`,
    username: '用户名',
    usernamePh: '请输入用户名',
    password: '密码',
    passwordPh: '请输入密码',
    signIn: '登录',
    cancel: '取消',
    forced: '该应用要求您重新验证身份。',
    totpTitle: '两步验证',
    totpLead: (name: string) => `${name}，请输入身份验证器应用中显示的 6 位动态验证码。`,
    code: '动态验证码',
    verify: '验证',
    consentTitle: '授权确认',
    consentLead: (app: string) => `「${app}」申请获取以下信息：`,
    signedInAs: '当前账号',
    returnTo: '授权后将返回',
    allow: '同意授权',
    deny: '拒绝',
    consentNote: '您的选择会被记住，下次登录该应用时无需再次确认。',
    scope: {
      openid: ['身份标识', '确认您是谁（账号的唯一标识）'],
      profile: ['基本资料', '姓名、用户名、账号类型、所属机构和语言'],
      offline_access: ['保持访问', '在您离线时仍可代表您访问（刷新令牌）'],
    } as Record<string, [string, string]>,
    errors: {
      invalid: '用户名或密码错误。多次失败后需稍等片刻才能再次尝试。',
      throttled: '本网络登录失败次数过多，请几分钟后再试。',
      disabled: '该账号已停用，请联系管理员。',
      code: '验证码错误或已过期，请重新输入。',
      enrol: '该账号须先开启两步验证：请先登录管理后台完成设置，再返回此处。',
      missing: '请填写用户名和密码。',
    },
    errorTitle: '无法完成登录',
    errorLead: '登录请求无效或已过期。请返回原应用重新发起登录。',
    logoutTitle: '退出登录',
    logoutLead: (host: string) => `是否退出 ${host} 的统一身份认证登录？`,
    logoutYes: '是，退出登录',
    logoutNo: '否，保持登录',
    loggedOutTitle: '已退出登录',
    loggedOutLead: (app: string) => (app ? `您已退出「${app}」。` : '您已安全退出。'),
    footer: '青岛市大数据发展管理局 · 数字青岛平台',
  },
  en: {
    brand: 'Digital Qingdao',
    brandSub: 'Single sign-on',
    other: '中文',
    otherLang: 'zh',
    loginTitle: 'Sign in',
    loginLead: (app: string) => `“${app}” wants you to sign in with your Digital Qingdao account.`,
    username: 'Username',
    usernamePh: 'Your username',
    password: 'Password',
    passwordPh: 'Your password',
    signIn: 'Sign in',
    cancel: 'Cancel',
    forced: 'This application asks you to confirm your identity again.',
    totpTitle: 'Two-step verification',
    totpLead: (name: string) => `${name}, enter the 6-digit code shown in your authenticator app.`,
    code: 'Verification code',
    verify: 'Verify',
    consentTitle: 'Authorise access',
    consentLead: (app: string) => `“${app}” asks for access to:`,
    signedInAs: 'Signed in as',
    returnTo: 'You will return to',
    allow: 'Allow',
    deny: 'Deny',
    consentNote: 'Your choice is remembered; you will not be asked again for this application.',
    scope: {
      openid: ['Identity', 'Who you are (your account identifier)'],
      profile: ['Basic profile', 'Name, username, account type, organisation and language'],
      offline_access: ['Continued access', 'Act for you while you are away (a refresh token)'],
    } as Record<string, [string, string]>,
    errors: {
      invalid: 'Wrong username or password. After repeated failures, wait a moment before the next attempt.',
      throttled: 'Too many failed sign-ins from your network. Try again in a few minutes.',
      disabled: 'This account is disabled. Contact your administrator.',
      code: 'The code is wrong or has expired. Try again.',
      enrol: 'This account must turn on two-step verification first: set it up in the console, then come back.',
      missing: 'Enter your username and password.',
    },
    errorTitle: 'Sign-in could not be completed',
    errorLead: 'The sign-in request is invalid or has expired. Go back to the application and start again.',
    logoutTitle: 'Sign out',
    logoutLead: (host: string) => `Sign out of Digital Qingdao single sign-on at ${host}?`,
    logoutYes: 'Yes, sign me out',
    logoutNo: 'No, stay signed in',
    loggedOutTitle: 'Signed out',
    loggedOutLead: (app: string) => (app ? `You have signed out of “${app}”.` : 'You have signed out.'),
    footer: 'Qingdao Big Data Development Administration · Digital Qingdao',
  },
} as const;

export type ErrorKey = keyof (typeof T)['zh']['errors'];

const CSS = `
:root{--brand:#1677ff;--brand-dark:#0b5ad9;--soft:#e8f1ff;--text:#1f2937;--muted:#6b7280;--line:#e5e7eb;--danger:#dc2626;--bg:#eef3fa}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{min-height:100vh;background:linear-gradient(180deg,#dbe8ff 0,var(--bg) 260px);color:var(--text);font:15px/1.55 -apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Noto Sans SC','Helvetica Neue',Arial,sans-serif;-webkit-font-smoothing:antialiased;display:flex;flex-direction:column;align-items:center;padding:max(32px,8vh) 16px 32px}
html[lang=en] body{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}
.card{width:100%;max-width:420px;background:#fff;border-radius:16px;box-shadow:0 10px 30px rgba(22,119,255,.10),0 1px 3px rgba(15,23,42,.06);padding:28px 28px 24px}
.top{display:flex;align-items:center;gap:12px;margin-bottom:22px}
.logo{width:42px;height:42px;border-radius:12px;background:linear-gradient(135deg,#1677ff,#36a3ff);color:#fff;font-weight:700;font-size:20px;display:flex;align-items:center;justify-content:center;flex:none}
.brand{font-weight:600;font-size:17px;line-height:1.2}
.brand small{display:block;font-weight:400;font-size:12.5px;color:var(--muted);margin-top:2px}
.lang{margin-left:auto;font-size:13px;color:var(--brand);text-decoration:none;border:1px solid #cfe0ff;border-radius:999px;padding:3px 12px}
.lang:hover{background:var(--soft)}
h1{font-size:21px;margin:0 0 6px;font-weight:600}
.lead{color:var(--muted);margin:0 0 18px;text-wrap:pretty}
.lead b{color:var(--text);font-weight:600}
label{display:block;font-size:13.5px;font-weight:500;margin:14px 0 6px}
input[type=text],input[type=password]{width:100%;height:46px;border:1px solid #d0d7e2;border-radius:10px;padding:0 14px;font-size:16px;background:#fbfcfe;color:var(--text);outline:none;transition:border-color .15s,box-shadow .15s}
input:focus{border-color:var(--brand);box-shadow:0 0 0 3px rgba(22,119,255,.15);background:#fff}
input.code{letter-spacing:.5em;text-align:center;font-size:22px;font-variant-numeric:tabular-nums}
.actions{display:flex;flex-direction:column;gap:10px;margin-top:22px}
button{height:46px;border-radius:10px;font-size:16px;font-weight:500;cursor:pointer;border:1px solid transparent;width:100%;font-family:inherit}
.primary{background:var(--brand);color:#fff}
.primary:hover{background:var(--brand-dark)}
.secondary{background:#fff;color:var(--text);border-color:#d0d7e2}
.secondary:hover{background:#f5f7fa}
.alert{background:#fef2f2;border:1px solid #fecaca;color:var(--danger);border-radius:10px;padding:10px 12px;margin:0 0 6px;font-size:14px}
.note{background:var(--soft);border-radius:10px;padding:10px 12px;font-size:13.5px;color:#1d4ed8;margin:0 0 12px}
.who{display:flex;align-items:center;gap:10px;background:#f7f9fc;border:1px solid var(--line);border-radius:12px;padding:10px 12px;margin:0 0 16px}
.avatar{width:36px;height:36px;border-radius:50%;background:var(--soft);color:var(--brand);display:flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.who small{display:block;color:var(--muted);font-size:12.5px}
ul.scopes{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:12px}
ul.scopes li{padding:12px 14px;display:flex;gap:12px;align-items:flex-start}
ul.scopes li+li{border-top:1px solid var(--line)}
.tick{width:20px;height:20px;border-radius:50%;background:var(--brand);display:flex;align-items:center;justify-content:center;flex:none;margin-top:2px}
.tick::after{content:'';width:5px;height:9px;border:solid #fff;border-width:0 2px 2px 0;transform:translateY(-1px) rotate(45deg)}
ul.scopes b{display:block;font-weight:600;font-size:14.5px}
ul.scopes span{color:var(--muted);font-size:13.5px}
.meta{font-size:13px;color:var(--muted);margin:14px 0 0;word-break:break-all}
.meta b{color:var(--text);font-weight:500}
.small{font-size:12.5px;color:var(--muted);margin-top:14px}
footer{margin-top:22px;font-size:12px;color:#8a94a6;text-align:center}
@media (max-width:480px){body{padding:16px 10px}.card{padding:22px 18px 20px;border-radius:14px}}
`;

function page(lang: Lang, title: string, body: string, langHref?: string): string {
  const t = T[lang];
  const toggle = langHref ? `<a class="lang" href="${esc(langHref)}" hreflang="${t.otherLang === 'en' ? 'en' : 'zh-CN'}">${t.other}</a>` : '';
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · ${esc(t.brand)}</title>
<style>${CSS}</style>
</head>
<body>
<main class="card">
<div class="top"><div class="logo" aria-hidden="true">青</div><div class="brand">${esc(t.brand)}<small>${esc(t.brandSub)}</small></div>${toggle}</div>
${body}
</main>
<footer>${esc(t.footer)}</footer>
</body>
</html>`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;

export interface InteractionView {
  lang: Lang;
  /** /oidc/interaction/<uid> */
  base: string;
  clientName: string;
}

export function otherLangHref(v: InteractionView): string {
  return `${v.base}?lang=${T[v.lang].otherLang}`;
}

function cancelForm(v: InteractionView, label: string, testId: string): string {
  return `<form method="post" action="${esc(v.base)}/abort">${hidden('lang', v.lang)}<button class="secondary" type="submit" data-testid="${testId}">${esc(label)}</button></form>`;
}

export function loginPage(v: InteractionView, opts: { error?: ErrorKey; username?: string; forced?: boolean } = {}): string {
  const t = T[v.lang];
  const body = `
<h1>${esc(t.loginTitle)}</h1>
<p class="lead">${esc(t.loginLead(v.clientName))}</p>
${opts.forced ? `<p class="note">${esc(t.forced)}</p>` : ''}
${opts.error ? `<p class="alert" role="alert">${esc(t.errors[opts.error])}</p>` : ''}
<form method="post" action="${esc(v.base)}/login" id="login" autocomplete="on">
${hidden('lang', v.lang)}
<label for="username">${esc(t.username)}</label>
<input type="text" id="username" name="username" value="${esc(opts.username ?? '')}" placeholder="${esc(t.usernamePh)}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"${opts.username ? '' : ' autofocus'}>
<label for="password">${esc(t.password)}</label>
<input type="password" id="password" name="password" placeholder="${esc(t.passwordPh)}" autocomplete="current-password" required maxlength="256"${opts.username ? ' autofocus' : ''}>
</form>
<div class="actions">
<button class="primary" type="submit" form="login" data-testid="login-submit">${esc(t.signIn)}</button>
${cancelForm(v, t.cancel, 'interaction-cancel')}
</div>`;
  return page(v.lang, t.loginTitle, body, otherLangHref(v));
}

export function totpPage(v: InteractionView, opts: { displayName: string; error?: ErrorKey }): string {
  const t = T[v.lang];
  const body = `
<h1>${esc(t.totpTitle)}</h1>
<p class="lead">${esc(t.totpLead(opts.displayName))}</p>
${opts.error ? `<p class="alert" role="alert">${esc(t.errors[opts.error])}</p>` : ''}
<form method="post" action="${esc(v.base)}/totp" id="totp">
${hidden('lang', v.lang)}
<label for="code">${esc(t.code)}</label>
<input type="text" class="code" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
</form>
<div class="actions">
<button class="primary" type="submit" form="totp" data-testid="totp-submit">${esc(t.verify)}</button>
${cancelForm(v, t.cancel, 'interaction-cancel')}
</div>`;
  return page(v.lang, t.totpTitle, body);
}

export function consentPage(v: InteractionView, opts: { displayName: string; username: string; scopes: string[]; redirectHost: string | null }): string {
  const t = T[v.lang];
  const items = opts.scopes
    .map((s) => {
      const [title, text] = t.scope[s] ?? [s, ''];
      return `<li><span class="tick" aria-hidden="true"></span><div><b>${esc(title)}</b><span>${esc(text)}</span></div></li>`;
    })
    .join('\n');
  const body = `
<h1>${esc(t.consentTitle)}</h1>
<p class="lead">${esc(t.consentLead(v.clientName))}</p>
<div class="who"><div class="avatar" aria-hidden="true">${esc([...opts.displayName][0] ?? '?')}</div><div>${esc(opts.displayName)}<small>${esc(t.signedInAs)} · ${esc(opts.username)}</small></div></div>
<ul class="scopes">
${items}
</ul>
${opts.redirectHost ? `<p class="meta">${esc(t.returnTo)} <b>${esc(opts.redirectHost)}</b></p>` : ''}
<form method="post" action="${esc(v.base)}/confirm" id="confirm">${hidden('lang', v.lang)}</form>
<div class="actions">
<button class="primary" type="submit" form="confirm" data-testid="consent-allow">${esc(t.allow)}</button>
${cancelForm(v, t.deny, 'consent-deny')}
</div>
<p class="small">${esc(t.consentNote)}</p>`;
  return page(v.lang, t.consentTitle, body, otherLangHref(v));
}

/** Errors have no account to take the language from: both languages, Chinese first. */
export function errorPage(error?: string, description?: string): string {
  const body = `
<h1>${esc(T.zh.errorTitle)}</h1>
<p class="lead">${esc(T.zh.errorLead)}</p>
<h1>${esc(T.en.errorTitle)}</h1>
<p class="lead">${esc(T.en.errorLead)}</p>
${error ? `<p class="meta"><b>${esc(error)}</b>${description ? ` — ${esc(description)}` : ''}</p>` : ''}`;
  return page('zh', `${T.zh.errorTitle} / ${T.en.errorTitle}`, body);
}

export function logoutPage(lang: Lang, host: string, form: string): string {
  const t = T[lang];
  const body = `
<h1>${esc(t.logoutTitle)}</h1>
<p class="lead">${esc(t.logoutLead(host))}</p>
${form}
<div class="actions">
<button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${esc(t.logoutYes)}</button>
<button class="secondary" type="submit" form="op.logoutForm">${esc(t.logoutNo)}</button>
</div>`;
  return page(lang, t.logoutTitle, body);
}

export function loggedOutPage(lang: Lang, clientName: string): string {
  const t = T[lang];
  return page(lang, t.loggedOutTitle, `<h1>${esc(t.loggedOutTitle)}</h1><p class="lead">${esc(t.loggedOutLead(clientName))}</p>`);
}
