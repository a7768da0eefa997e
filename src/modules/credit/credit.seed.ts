// Reference data (the standard's publication regimes) always; demo data with `dq seed --demo`: the
// authority codes departments and districts publish under, and published licences and penalties for
// the demo enterprises — ent_demo's organisation has one penalty repairable now and one not yet.
import { addDays } from '../../platform/calendar';
import { CREDIT_ALPHABET, makeCitizenId, makeCreditCode } from '../../platform/ids';
import type { OrgService } from '../org';
import type { CreditService } from './credit.service';

/** A demo authority code per department/district (government bodies: registration authority 1, type 1). */
export function demoAuthorityCode(divisionCode: string, orgCode: string): string {
  // Derived from the organisation's own code, so adding organisations never moves anyone's code.
  let h = 0;
  for (const c of orgCode) h = (h * 131 + c.charCodeAt(0)) % 27_512_614_111; // 31^7
  let id = '';
  for (let i = 0; i < 7; i++, h = Math.floor(h / 31)) id = CREDIT_ALPHABET[h % 31] + id;
  return makeCreditCode(divisionCode, `QD${id}`, '1', '1');
}

export async function seedCreditReference(credit: CreditService): Promise<void> {
  await credit.seedRegimes();
}

export async function seedCreditDemo(credit: CreditService, orgs: OrgService, enterpriseCodes: string[]): Promise<{ records: number }> {
  const gov = await orgs.byKinds(['department', 'district']);
  const codes = new Map<string, { code: string; name: string; id: string }>();
  for (const o of gov) {
    const code = o.creditCode ?? demoAuthorityCode(o.divisionCode, o.code);
    codes.set(o.code, { code, name: o.name, id: o.id });
    if (!o.creditCode) await credit.setAuthority(code, o.name, o.id);
  }
  const gaj = codes.get('GAJ');
  const scj = codes.get('SJJ') ?? gaj;
  const shinan = codes.get('370202') ?? gaj;
  if (!gaj || !scj || !shinan) return { records: 0 };
  const today = credit.today();
  const ents = [];
  const byCode = await orgs.byCodes(enterpriseCodes.slice(0, 6));
  for (const c of enterpriseCodes.slice(0, 6)) {
    const o = byCode.get(c);
    if (o) ents.push(o);
  }
  if (!ents.length) return { records: 0 };
  const penalty = (ent: { name: string; creditCode: string | null }, auth: { code: string; name: string }, docNo: string, decided: string, over: Record<string, string> = {}) => ({
    CF_XDR_MC: ent.name,
    CF_XDR_LB: '法人及非法人组织',
    CF_XDR_SHXYM: ent.creditCode!,
    CF_FRDB: '李明',
    CF_WSH: docNo,
    CF_WFXW: '违反消防安全管理规定',
    CF_SY: '经营场所疏散通道堵塞，消防设施未保持完好有效',
    CF_YJ: '《中华人民共和国消防法》第六十条第一款',
    CF_CFLB: '罚款',
    CF_NR: '罚款人民币伍仟元',
    CF_NR_FK: '0.5',
    CF_JDRQ: decided,
    CF_YXQ: addDays(decided, 30),
    CF_CFJG: auth.name,
    CF_CFJGDM: auth.code,
    CF_SJLY: auth.name,
    CF_SJLYDM: auth.code,
    ...over,
  });
  const licence = (ent: { name: string; creditCode: string | null }, auth: { code: string; name: string }, docNo: string, decided: string, over: Record<string, string> = {}) => ({
    XK_XDR_MC: ent.name,
    XK_XDR_LB: '法人及非法人组织',
    XK_XDR_SHXYM: ent.creditCode!,
    XK_FRDB: '李明',
    XK_XKWS: '食品经营许可决定书',
    XK_WSH: docNo,
    XK_XKLB: '普通',
    XK_XKZS: '食品经营许可证',
    XK_XKBH: `JY13702${docNo.replace(/\D/g, '').padStart(8, '0')}`,
    XK_NR: '预包装食品销售（含冷藏冷冻食品），热食类食品制售',
    XK_JDRQ: decided,
    XK_YXQZ: decided,
    XK_YXQZI: addDays(decided, 5 * 365),
    XK_XKJG: auth.name,
    XK_XKJGDM: auth.code,
    XK_ZT: '1',
    XK_LYDW: auth.name,
    XK_LYDWDM: auth.code,
    ...over,
  });
  const [demo, ...others] = ents;
  const items: [kind: 'licence' | 'penalty', values: Record<string, string>, orgId: string][] = [
    // ent_demo: repairable now (decided 200 days ago, ordinary) and not yet (decided 20 days ago).
    ['penalty', penalty(demo, gaj, '青公（消）罚决字〔2026〕0101号', addDays(today, -200)), gaj.id],
    ['penalty', penalty(demo, scj, '青市监罚〔2026〕0202号', addDays(today, -20), { CF_WFXW: '销售标签不符合规定的食品', CF_SY: '销售的预包装食品标签未标注生产日期', CF_YJ: '《中华人民共和国食品安全法》第一百二十五条', CF_NR: '罚款人民币壹万元', CF_NR_FK: '1' }), scj.id],
    ['licence', licence(demo, scj, '青食许〔2026〕1001号', addDays(today, -300)), scj.id],
    ['licence', licence(demo, shinan, '南建许〔2026〕0088号', addDays(today, -90), { XK_XKWS: '建筑工程施工许可决定书', XK_XKZS: '建筑工程施工许可证', XK_NR: '办公楼装修工程施工', XK_XKLB: '核准', XK_YXQZI: '2099-12-31' }), shinan.id],
  ];
  others.forEach((e, i) => {
    items.push(['licence', licence(e, scj, `青食许〔2026〕${2000 + i}号`, addDays(today, -60 - i * 17)), scj.id]);
    if (i % 2 === 0) items.push(['penalty', penalty(e, gaj, `青公（消）罚决字〔2026〕${300 + i}号`, addDays(today, -40 - i * 23), i === 2 ? { CF_CFLB: '警告', CF_NR: '警告', CF_NR_FK: '' } : {}), gaj.id]);
  });
  // A natural person: published with the ID number, shown masked.
  items.push([
    'penalty',
    penalty({ name: '张三', creditCode: '' }, gaj, '青公（治）罚决字〔2026〕0505号', addDays(today, -15), { CF_XDR_LB: '自然人', CF_XDR_SHXYM: '', CF_FRDB: '', CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: makeCitizenId('370202', '1985-06-15', 31), CF_WFXW: '违反治安管理', CF_SY: '在公共场所无理取闹', CF_YJ: '《中华人民共和国治安管理处罚法》第二十六条', CF_NR: '罚款人民币伍佰元', CF_NR_FK: '0.05' }),
    gaj.id,
  ]);
  let records = 0;
  for (const [kind, values, orgId] of items) if (await credit.seedRecord(kind, values, orgId)) records++;
  void orgs;
  return { records };
}
