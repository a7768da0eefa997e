// Deterministic synthetic rows for the four demo datasets (population register, legal persons, funeral
// records, social insurance contributions) and for the benchmarks. A seeded PRNG (mulberry32) makes every
// run produce the same rows; ID numbers and credit codes carry valid check characters.
import { makeCitizenId, makeCreditCode } from '../../../platform/ids';
import { loadCityFile } from '../../org';

export type Row = Record<string, string | null>;

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰华建国志红玉梅丹萍鹏辉宇浩然欣怡子涵梓轩雨泽思远嘉琪晨阳文博海峰晓东瑞雪婷颖鑫佳琳俊凯'.split('');
const STREETS = ['香港中路', '山东路', '延安三路', '辽阳西路', '长江中路', '黑龙江中路', '重庆南路', '株洲路', '福州南路', '宁夏路', '南京路', '东海西路', '银川东路', '台东一路', '青威路'];
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '满族', '朝鲜族', '蒙古族'];
const FUNERAL_HOMES = ['青岛市殡仪馆', '黄岛区殡仪馆', '即墨区殡仪馆', '胶州市殡仪馆', '平度市殡仪馆', '莱西市殡仪馆'];
const STATUSES = ['存续', '存续', '存续', '存续', '在业', '注销', '吊销'];
const COMPANY_WORDS = ['海', '信', '达', '润', '泰', '华', '瑞', '鑫', '德', '恒', '远', '通', '源', '丰', '盛', '安'];
const INDUSTRIES = ['科技', '贸易', '电子', '食品', '物流', '机械', '海洋生物', '建设工程', '软件', '文化传媒'];

let districtCache: { code: string; name: string }[] | null = null;
export function districts(): { code: string; name: string }[] {
  districtCache ??= loadCityFile().districts.map((d) => ({ code: d.code, name: d.name }));
  return districtCache;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DAY = 86_400_000;
const BIRTH_BASE = Date.UTC(1940, 0, 1);
const BIRTH_DAYS = 29_200; // 1940-01-01 … 2019-12-11
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Fixed reference time for updated_at values, so output never depends on the clock. */
const UPDATED_BASE = Date.UTC(2026, 0, 1);

export function chineseName(r: () => number): string {
  return pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.7 ? pick(r, GIVEN) : '');
}

/**
 * The i-th person's ID number: i is scrambled by a bijection on [0, 10·29,200·1000) into (district,
 * birth day, sequence), so the first n people have n distinct, valid ID numbers spread over districts
 * and birth dates (up to 292 million).
 */
export function personIdParts(i: number, d = districts()): { district: { code: string; name: string }; birthDate: string; sequence: number } {
  const M = d.length * BIRTH_DAYS * 1000;
  // 2,654,435,761 is odd and not divisible by 5, 73 (29,200 = 2^4·5^2·73) nor the district count's primes here.
  const p = Number((BigInt(i) * 2654435761n + 12345n) % BigInt(M));
  const sequence = p % 1000;
  const rest = Math.floor(p / 1000);
  const day = rest % BIRTH_DAYS;
  const district = d[Math.floor(rest / BIRTH_DAYS) % d.length];
  return { district, birthDate: isoDay(BIRTH_BASE + day * DAY), sequence };
}

/**
 * Population register rows (items of 370200-GAJ-00001), as a fast synchronous generator: usable with
 * `for … of` and `for await … of` (the gateway benchmark streams 10 million of them into COPY).
 */
export function* populationRows(n: number, seed = 1): Generator<Row> {
  const d = districts();
  const r = prng(seed);
  for (let i = 0; i < n; i++) {
    const { district, birthDate, sequence } = personIdParts(i, d);
    const id = makeCitizenId(district.code, birthDate, sequence);
    yield {
      id_number: id,
      name: chineseName(r),
      gender: sequence % 2 === 1 ? '男' : '女',
      birth_date: birthDate,
      ethnicity: pick(r, ETHNICITIES),
      district_code: district.code,
      address: `青岛市${district.name}${pick(r, STREETS)}${1 + Math.floor(r() * 300)}号${1 + Math.floor(r() * 30)}单元${100 + Math.floor(r() * 2400)}户`,
      phone: `1${pick(r, ['3', '5', '7', '8', '9'])}${pad(Math.floor(r() * 1e9), 9)}`,
      updated_at: new Date(UPDATED_BASE + Math.floor(r() * 300 * DAY)).toISOString(),
    };
  }
}

/** Legal persons (370200-SJJ-00001): valid unified social credit codes. */
export function* legalPersonRows(n: number, seed = 2): Generator<Row> {
  const d = districts();
  const r = prng(seed);
  for (let i = 0; i < n; i++) {
    const district = d[i % d.length];
    const name = `青岛${pick(r, COMPANY_WORDS)}${pick(r, COMPANY_WORDS)}${pick(r, INDUSTRIES)}有限公司`;
    yield {
      credit_code: makeCreditCode(district.code, `MA${pad(i, 7)}`),
      name: i % 7 === 0 ? name.replace('有限公司', `${pick(r, ['第一', '东方', '北方', '新'])}有限公司`) : name,
      legal_rep: chineseName(r),
      reg_date: isoDay(Date.UTC(1995, 0, 1) + Math.floor(r() * 11_000) * DAY),
      district_code: district.code,
      status: pick(r, STATUSES),
      reg_capital: (Math.floor(r() * 500_000) / 100).toFixed(2),
      updated_at: new Date(UPDATED_BASE + Math.floor(r() * 300 * DAY)).toISOString(),
    };
  }
}

/** Funeral records (370200-MZJ-00001) for people of the population register (`people`, distinct). */
export function* funeralRows(people: Row[], seed = 3): Generator<Row> {
  const r = prng(seed);
  let k = 0;
  for (const p of people) {
    const birth = Date.parse(`${p.birth_date}T00:00:00Z`);
    const latest = Date.UTC(2026, 9, 31);
    const death = birth + Math.floor((0.55 + r() * 0.45) * (latest - birth) / DAY) * DAY;
    yield {
      record_no: `HH${new Date(death).getUTCFullYear()}${pad(++k, 6)}`,
      id_number: p.id_number,
      name: p.name,
      gender: p.gender,
      death_date: isoDay(death),
      cremation_date: isoDay(death + (1 + Math.floor(r() * 3)) * DAY),
      funeral_home: pick(r, FUNERAL_HOMES),
      district_code: p.district_code,
      updated_at: new Date(Math.max(death + 4 * DAY, UPDATED_BASE)).toISOString(),
    };
  }
}

/** Social insurance contributions (370200-RSJ-00001): months × people, employers from `employers`. */
export function* socialInsuranceRows(people: Row[], months: string[], employers: string[], seed = 4): Generator<Row> {
  const r = prng(seed);
  for (const p of people) {
    const base = 4000 + Math.floor(r() * 180) * 100;
    const employer = pick(r, employers);
    for (const period of months) {
      yield {
        id_number: p.id_number,
        period,
        name: p.name,
        insurance_type: '职工基本养老保险',
        base: base.toFixed(2),
        amount: (base * 0.08).toFixed(2),
        employer_credit_code: employer,
        district_code: p.district_code,
        updated_at: new Date(Date.parse(`${period}-15T02:00:00Z`)).toISOString(),
      };
    }
  }
}

/** Take the first n of an iterable into an array. */
export function take<T>(it: Iterable<T>, n = Infinity): T[] {
  const out: T[] = [];
  for (const x of it) {
    if (out.length >= n) break;
    out.push(x);
  }
  return out;
}
