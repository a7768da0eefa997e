// Big-screen UI strings, each as [Chinese, English].
import { bilingual } from '../shared/i18n';

export const screenStrings = bilingual({
  screen: {
    title: ['数字青岛 城市运行平台', 'Digital Qingdao City Operations'],
    subtitle: ['DIGITAL QINGDAO · CITY OPERATIONS', '数字青岛 · 城市运行平台'],
    loginTitle: ['城市运行平台登录', 'City operations sign-in'],
    noPermission: ['当前账号没有查看运行统计的权限（stats.read）', 'This account may not view platform statistics (stats.read)'],
    updatedAt: ['数据更新 {{time}}', 'Updated {{time}}'],
    refreshEvery: ['每 15 秒刷新', 'refreshes every 15 s'],
    stale: ['数据连接中断，显示的是上次结果', 'Connection lost, showing the last data'],
    tiles: {
      districts: ['区（市）', 'Districts'],
      departments: ['市直部门', 'Departments'],
      enterprises: ['企业', 'Enterprises'],
      citizens: ['注册市民', 'Citizens'],
      staff: ['工作人员', 'Staff'],
      sessions: ['在线会话', 'Active sessions'],
      apiKeys: ['有效接口密钥', 'Active API keys'],
      jobsQueued: ['排队任务', 'Jobs queued'],
      jobsDead: ['死信任务', 'Dead jobs'],
      audit: ['审计记录', 'Audit entries'],
    },
    unit: { count: ['个', ''], people: ['人', ''], items: ['条', ''], sessions: ['个', ''] },
    last24h: ['近24小时 {{count}}', 'last 24 h: {{count}}'],
    charts: {
      usersByKind: ['用户构成', 'Users by kind'],
      auditByHour: ['近24小时审计事件', 'Audit events, last 24 hours'],
      jobsByStatus: ['后台任务状态', 'Background jobs by status'],
      orgsByDistrict: ['各区（市）组织机构数', 'Organisations per district'],
    },
    jobStatus: { queued: ['排队中', 'Queued'], running: ['执行中', 'Running'], done: ['已完成', 'Done'], dead: ['死信', 'Dead'] },
    series: { users: ['用户数', 'Users'], events: ['事件数', 'Events'], orgs: ['机构数', 'Organisations'], jobs: ['任务数', 'Jobs'] },
    week: ['星期', ''],
  },
});
