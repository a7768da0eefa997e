// Human names for audit actions. Unknown actions fall back to their code.
import type { Locale } from './types';

const NAMES: Record<string, [string, string]> = {
  'auth.login': ['登录', 'Signed in'],
  'auth.logout': ['退出登录', 'Signed out'],
  'auth.login-failed': ['登录失败', 'Failed sign-in'],
  'auth.lockout': ['账号被锁定', 'Account locked'],
  'auth.totp-enabled': ['启用两步验证', 'Two-step verification enabled'],
  'auth.totp-disabled': ['关闭两步验证', 'Two-step verification disabled'],
  'auth.totp-passed': ['两步验证通过', 'Two-step verification passed'],
  'auth.totp-failed': ['两步验证失败', 'Two-step verification failed'],
  'user.create': ['创建用户', 'User created'],
  'user.update': ['更新用户资料', 'User updated'],
  'user.password': ['修改密码', 'Password changed'],
  'user.roles': ['调整角色', 'Roles changed'],
  'user.locale': ['更改语言', 'Language changed'],
  'org.create': ['创建组织机构', 'Organisation created'],
  'org.update': ['更新组织机构', 'Organisation updated'],
  'role.create': ['创建角色', 'Role created'],
  'role.update': ['更新角色', 'Role updated'],
  'apikey.create': ['创建接口密钥', 'API key created'],
  'apikey.revoke': ['吊销接口密钥', 'API key revoked'],
  'oidc.client.create': ['注册单点登录应用', 'SSO client registered'],
  'oidc.client.disable': ['停用单点登录应用', 'SSO client disabled'],
  'oidc.login': ['单点登录授权', 'Single sign-on'],
  'job.retry': ['重试任务', 'Job retried'],
  'job.cancel': ['取消任务', 'Job cancelled'],
};

export function actionLabel(action: string, locale: Locale): string {
  const n = NAMES[action];
  if (!n) return action;
  return locale === 'en' ? n[1] : n[0];
}

export function knownActions(): string[] {
  return Object.keys(NAMES);
}
