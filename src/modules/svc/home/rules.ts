// The personal home page's ranking rules (千人千面), declared in one place. Each rule says when it applies
// (from the person's facts and history) and which items or bundles it lifts, with a fixed weight; an
// item's score is the sum of the weights of the rules that lifted it, and every contributing rule is
// returned as a reason, so the portal can answer "why am I seeing this". docs/modules/service-hall.md
// lists the same table.

export interface HomeRule {
  code: string;
  label: { zh: string; en: string };
  /** Points added to an item (or bundle) the rule applies to. */
  weight: number;
  /** When it applies and to what, in words (the documentation of the rule). */
  description: string;
}

const rule = (code: string, zh: string, en: string, weight: number, description: string): HomeRule => ({ code, label: { zh, en }, weight, description });

export const HOME_RULES = {
  elder: rule('elder', '您已年满 60 周岁，为您推荐长者服务', 'You are 60 or older: services for elders', 40, 'age ≥ 60 (from the ID number, Asia/Shanghai) → items of the elders’ zone (长者服务)'),
  enterpriseZone: rule('enterprise_zone', '企业账号：企业服务专区', 'Enterprise account: services for enterprises', 30, 'enterprise account → items of the enterprises’ zone (企业服务) and the business start-up bundle'),
  enterprise: rule('enterprise', '面向企业的事项', 'A service for enterprises', 10, 'enterprise account → items whose applicant type is enterprise or both'),
  person: rule('person', '面向个人的事项', 'A service for individuals', 5, 'person account → items whose applicant type is person or both'),
  district: rule('district', '您所在区的事项', 'A service of your district', 15, 'the account’s district (from the ID number’s division code; an enterprise’s registered district) → that sub-hall’s own items'),
  districtHall: rule('district_hall', '您所在区政务服务大厅可办', 'Handled at your district’s service hall', 5, 'the account’s district → city items its sub-hall handles'),
  recentZone: rule('recent_zone', '与您近期办理的事项同属一个专区', 'In the same zone as something you applied for recently', 12, 'applications in the last 180 days → other items sharing a themed zone with them'),
  recentDepartment: rule('recent_department', '与您近期办理的事项同一部门', 'From a department you applied to recently', 6, 'applications in the last 180 days → other items of the same owning department or district'),
  lifeEvent: rule('life_event', '与您的人生事件相关', 'Related to a life event of yours', 35, 'a life event (svc_life_events) dated from 365 days ago to 270 days ahead → items of that life-event zone (e.g. newborn → 新生儿)'),
  lifeEventBundle: rule('life_event_bundle', '人生事件“一件事”联办', 'A "one thing" bundle for your life event', 45, 'the same life event → the bundle of that zone (e.g. 新生儿出生一件事)'),
  retirementNear: rule('retirement_near', '您即将达到退休年龄', 'You are close to retirement age', 30, 'within two years before the statutory retirement age (men 60, women 55) or up to one year after → items and the bundle of the retirement zone (退休)'),
  popularity: rule('popularity', '常用事项', 'Often used', 5, 'every item: 0.5 × ln(1 + popularity), at most 5 — a small baseline that orders the rest'),
} as const satisfies Record<string, HomeRule>;

export type HomeRuleKey = keyof typeof HOME_RULES;

/** A life event shows for a year after it happened and from nine months before an expected date. */
export const LIFE_EVENT_WINDOW = { pastDays: 365, aheadDays: 270 } as const;
export const RECENT_DAYS = 180;
/**
 * Life-event zones of personal happenings. An item in one of them is shown only when that event's rule lifts
 * it or the person applied in that zone recently — popularity or the district alone must never put a death
 * registration on an elder's home or a birth certificate on a student's.
 */
export const PERSONAL_EVENT_ZONES: ReadonlySet<string> = new Set(['newborn', 'school_enrolment', 'unemployment', 'marriage', 'after_death']);
export const ELDER_AGE = 60;
export const retirementAge = (sex: string | undefined) => (sex === 'female' ? 55 : 60);

export function popularityWeight(popularity: number): number {
  return Math.min(HOME_RULES.popularity.weight, Math.round(0.5 * Math.log1p(Math.max(0, popularity)) * 100) / 100);
}
