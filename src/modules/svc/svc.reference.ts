// Reference data of the catalogue: themed zones (37), search synonyms, legal bases and fees of the
// seeded items, and the demo forms and materials every seeded item gets.
import type { FormDefinition, FormField } from './form';
import type { Material } from './materials';
import type { ApplicantType, Fees } from './model';

export interface ZoneSeed {
  code: string;
  name: string;
  nameEn: string;
  category: 'audience' | 'life_event' | 'topic';
}

export const ZONES: ZoneSeed[] = [
  // audiences
  { code: 'elders', name: '长者服务', nameEn: 'Elders', category: 'audience' },
  { code: 'talent', name: '人才服务', nameEn: 'Talent', category: 'audience' },
  { code: 'enterprise', name: '企业服务', nameEn: 'Enterprises', category: 'audience' },
  { code: 'veterans', name: '退役军人', nameEn: 'Veterans', category: 'audience' },
  { code: 'disability', name: '残疾人服务', nameEn: 'People with disabilities', category: 'audience' },
  { code: 'women_children', name: '妇女儿童', nameEn: 'Women and children', category: 'audience' },
  { code: 'youth', name: '青年服务', nameEn: 'Young people', category: 'audience' },
  { code: 'foreigners', name: '外籍人士', nameEn: 'Foreign nationals', category: 'audience' },
  { code: 'hk_mo_tw', name: '港澳台同胞', nameEn: 'Hong Kong, Macao and Taiwan residents', category: 'audience' },
  { code: 'low_income', name: '困难群众', nameEn: 'Low-income households', category: 'audience' },
  { code: 'migrant_workers', name: '农民工服务', nameEn: 'Migrant workers', category: 'audience' },
  { code: 'self_employed', name: '个体工商户', nameEn: 'Self-employed businesses', category: 'audience' },
  // life events
  { code: 'newborn', name: '新生儿', nameEn: 'A new baby', category: 'life_event' },
  { code: 'school_enrolment', name: '入学', nameEn: 'Starting school', category: 'life_event' },
  { code: 'employment', name: '就业创业', nameEn: 'Finding work, starting up', category: 'life_event' },
  { code: 'unemployment', name: '失业', nameEn: 'Losing a job', category: 'life_event' },
  { code: 'marriage', name: '婚姻登记', nameEn: 'Marriage', category: 'life_event' },
  { code: 'home_purchase', name: '购房', nameEn: 'Buying a home', category: 'life_event' },
  { code: 'renting', name: '租房', nameEn: 'Renting a home', category: 'life_event' },
  { code: 'household_registration', name: '户籍办理', nameEn: 'Household registration', category: 'life_event' },
  { code: 'exit_entry', name: '出入境', nameEn: 'Travelling abroad', category: 'life_event' },
  { code: 'retirement', name: '退休', nameEn: 'Retirement', category: 'life_event' },
  { code: 'after_death', name: '身后', nameEn: 'After a death', category: 'life_event' },
  { code: 'business_startup', name: '企业开办', nameEn: 'Starting a business', category: 'life_event' },
  // topics
  { code: 'housing', name: '住房保障', nameEn: 'Housing', category: 'topic' },
  { code: 'health', name: '健康医疗', nameEn: 'Health care', category: 'topic' },
  { code: 'education', name: '教育服务', nameEn: 'Education', category: 'topic' },
  { code: 'transport', name: '交通出行', nameEn: 'Transport', category: 'topic' },
  { code: 'construction', name: '工程建设', nameEn: 'Construction projects', category: 'topic' },
  { code: 'credit', name: '信用服务', nameEn: 'Credit', category: 'topic' },
  { code: 'social_security', name: '社会保障', nameEn: 'Social security', category: 'topic' },
  { code: 'medical_insurance', name: '医疗保障', nameEn: 'Medical insurance', category: 'topic' },
  { code: 'provident_fund', name: '公积金服务', nameEn: 'Housing provident fund', category: 'topic' },
  { code: 'civil_affairs', name: '民政服务', nameEn: 'Civil affairs', category: 'topic' },
  { code: 'culture_tourism', name: '文化旅游', nameEn: 'Culture and tourism', category: 'topic' },
  { code: 'tax', name: '税务服务', nameEn: 'Taxes', category: 'topic' },
  { code: 'environment', name: '生态环保', nameEn: 'Environment', category: 'topic' },
];

/** What people type → what the catalogue says. Editable in the console (svc_synonyms). */
export const SYNONYMS: Record<string, string[]> = {
  社保: ['社会保险', '社会保障'],
  社保卡: ['社会保障卡'],
  公积金: ['住房公积金'],
  身份证: ['居民身份证'],
  医保: ['医疗保障', '医疗保险'],
  医保卡: ['社会保障卡'],
  户口: ['户籍'],
  落户: ['户口迁移'],
  营业执照: ['企业设立登记', '个体工商户设立登记'],
  开公司: ['企业设立登记', '企业开办'],
  办执照: ['企业设立登记'],
  退休: ['退休申请', '离退休'],
  养老金: ['养老保险待遇'],
  生育: ['生育医疗费用', '出生'],
  生孩子: ['出生', '生育'],
  残疾证: ['残疾人证'],
  驾照: ['机动车驾驶证'],
  驾驶证: ['机动车驾驶证'],
  护照: ['普通护照'],
  低保: ['最低生活保障'],
  房产证: ['不动产权证书', '不动产登记'],
  过户: ['转移登记'],
  二手房: ['不动产登记（二手房转移登记）'],
  租房: ['租赁住房'],
  失业金: ['失业保险金'],
  个税: ['个人所得税'],
  发票: ['增值税发票'],
  异地就医: ['异地就医备案'],
  结婚证: ['结婚登记'],
  出生证: ['出生医学证明'],
  老年人: ['长者', '高龄'],
  人才: ['人才引进'],
};

export const LEGAL_BASIS: Record<string, string> = {
  GAJ: '《中华人民共和国户口登记条例》',
  RSJ: '《中华人民共和国社会保险法》《中华人民共和国就业促进法》',
  YBJ: '《中华人民共和国社会保险法》《医疗保障基金使用监督管理条例》',
  GJJ: '《住房公积金管理条例》',
  MZJ: '《社会救助暂行办法》',
  JYJ: '《中华人民共和国教育法》',
  SPJ: '《中华人民共和国市场主体登记管理条例》',
  ZJJ: '《城市商品房预售管理办法》',
  CGJ: '《城市市容和环境卫生管理条例》',
  ZRZYJ: '《不动产登记暂行条例》',
  WJW: '《中华人民共和国基本医疗卫生与健康促进法》',
  TYJ: '《退役军人保障法》',
  CL: '《中华人民共和国残疾人保障法》',
  JTJ: '《中华人民共和国道路运输条例》',
  SWJ: '《取水许可和水资源费征收管理条例》',
  HBJ: '《中华人民共和国环境影响评价法》',
  WLJ: '《旅行社条例》',
  RFB: '《中华人民共和国人民防空法》',
  SWU: '《中华人民共和国税收征收管理法》',
  FGW: '《企业信息公示暂行条例》',
  GXJ: '《企业技术中心认定管理办法》',
  KJJ: '《高新技术企业认定管理办法》',
};

export const LEGAL_BASIS_BY_NAME: [RegExp, string][] = [
  [/居民身份证/, '《中华人民共和国居民身份证法》'],
  [/居住证/, '《居住证暂行条例》'],
  [/护照/, '《中华人民共和国护照法》'],
  [/驾驶证/, '《中华人民共和国道路交通安全法》'],
  [/结婚|离婚/, '《婚姻登记条例》'],
  [/食品经营/, '《中华人民共和国食品安全法》'],
  [/药品/, '《中华人民共和国药品管理法》'],
  [/施工许可/, '《中华人民共和国建筑法》'],
  [/医师/, '《中华人民共和国医师法》'],
  [/护士/, '《护士条例》'],
  [/医疗机构/, '《医疗机构管理条例》'],
  [/教师资格/, '《中华人民共和国教师法》《教师资格条例》'],
  [/排污/, '《排污许可管理条例》'],
  [/个人所得税/, '《中华人民共和国个人所得税法》'],
  [/出生医学证明/, '《中华人民共和国母婴保健法》'],
];

/** Nationally set fees (工本费) of a few seeded items; everything else is free. */
export const FEES_BY_NAME: [RegExp, Fees][] = [
  [/居民身份证换领/, { free: false, items: [{ name: '居民身份证工本费', amountYuan: 20, basis: '《国家发展改革委 财政部关于居民身份证收费标准的通知》' }] }],
  [/普通护照/, { free: false, items: [{ name: '普通护照工本费', amountYuan: 120, basis: '国家发展改革委、财政部关于护照收费标准的规定' }] }],
  [/驾驶证期满换证/, { free: false, items: [{ name: '机动车驾驶证工本费', amountYuan: 10, basis: '公安交通管理收费标准' }] }],
  [/二手房转移登记/, { free: false, items: [{ name: '住宅类不动产登记费', amountYuan: 80, basis: '《关于不动产登记收费标准等有关问题的通知》' }] }],
];

/** Extra zones by words in the name, on top of the reference CSV's zones. */
export const ZONE_RULES: [RegExp, string][] = [
  [/公积金/, 'provident_fund'],
  [/社会保险|养老保险|失业保险|社会保障卡|退休/, 'social_security'],
  [/医保|医疗保险|医疗费用|就医|慢特病/, 'medical_insurance'],
  [/户口|户籍/, 'household_registration'],
  [/结婚|离婚/, 'marriage'],
  [/护照/, 'exit_entry'],
  [/租房/, 'renting'],
  [/购房|二手房|个人住房贷款/, 'home_purchase'],
  [/失业/, 'unemployment'],
  [/就业|创业|职业技能/, 'employment'],
  [/招生|入学/, 'school_enrolment'],
  [/税|发票/, 'tax'],
  [/环境|排污|污水/, 'environment'],
  [/旅行社|娱乐场所/, 'culture_tourism'],
  [/残疾/, 'disability'],
  [/高龄|养老服务/, 'elders'],
  [/最低生活保障|困难/, 'low_income'],
  [/个体工商户/, 'self_employed'],
  [/新生儿|出生/, 'women_children'],
];

const t = (zh: string, en: string) => ({ zh, en });

export const PERSON_FIELDS: FormField[] = [
  { key: 'applicantName', label: t('申请人姓名', 'Applicant name'), type: 'text', required: true, validation: { min: 2, max: 30 } },
  { key: 'idNumber', label: t('公民身份号码', 'Citizen ID number'), type: 'idNumber', required: true, help: t('18 位居民身份证号码', '18-character resident ID number') },
  { key: 'phone', label: t('联系电话', 'Phone'), type: 'phone', required: true },
];

export const ENTERPRISE_FIELDS: FormField[] = [
  { key: 'companyName', label: t('单位名称', 'Organisation name'), type: 'text', required: true, validation: { min: 2, max: 100 } },
  { key: 'creditCode', label: t('统一社会信用代码', 'Unified social credit code'), type: 'creditCode', required: true },
  { key: 'contactName', label: t('经办人姓名', 'Contact person'), type: 'text', required: true, validation: { min: 2, max: 30 } },
  { key: 'phone', label: t('联系电话', 'Phone'), type: 'phone', required: true },
];

const COMMITMENT: FormField = {
  key: 'commitment',
  label: t('本人承诺所填信息真实有效', 'I confirm the information is true'),
  type: 'checkbox',
  required: true,
  help: t('提供虚假信息将依法承担相应责任', 'False statements carry legal consequences'),
};

const DISTRICT_OPTIONS = [
  ['370202', '市南区'],
  ['370203', '市北区'],
  ['370211', '黄岛区（西海岸新区）'],
  ['370212', '崂山区'],
  ['370213', '李沧区'],
  ['370214', '城阳区'],
  ['370215', '即墨区'],
  ['370281', '胶州市'],
  ['370283', '平度市'],
  ['370285', '莱西市'],
].map(([value, zh]) => ({ value, label: t(zh, value) }));

/** Rich forms for the items that get automatic-approval rules later. */
export const RICH_FORMS: Record<string, { form: FormDefinition; materials: Material[] }> = {
  '户口迁移（人才引进落户）': {
    form: {
      fields: [
        ...PERSON_FIELDS,
        { key: 'birthDate', label: t('出生日期', 'Date of birth'), type: 'date', required: true, validation: { minDate: '1950-01-01' } },
        {
          key: 'education',
          label: t('最高学历', 'Highest education'),
          type: 'select',
          required: true,
          validation: { options: [
            { value: 'doctor', label: t('博士研究生', 'Doctorate') },
            { value: 'master', label: t('硕士研究生', "Master's") },
            { value: 'bachelor', label: t('大学本科', "Bachelor's") },
            { value: 'college', label: t('大学专科', 'College diploma') },
            { value: 'technician', label: t('高级工及以上职业资格', 'Senior technician or above') },
          ] },
          help: t('大学专科及以上学历或高级工及以上职业资格可申请', 'College diploma or senior technician and above qualify'),
        },
        { key: 'graduationSchool', label: t('毕业院校', 'University or college'), type: 'text', required: true, validation: { max: 60 } },
        { key: 'graduationDate', label: t('毕业时间', 'Graduation date'), type: 'date', required: true },
        {
          key: 'talentCategory',
          label: t('人才类别', 'Talent category'),
          type: 'select',
          required: true,
          validation: { options: [
            { value: 'graduate', label: t('高校毕业生', 'Graduate') },
            { value: 'professional', label: t('专业技术人才', 'Professional') },
            { value: 'skilled', label: t('技能人才', 'Skilled worker') },
            { value: 'returnee', label: t('留学回国人员', 'Returned overseas student') },
          ] },
        },
        { key: 'employerName', label: t('就业单位名称', 'Employer'), type: 'text', required: false, validation: { max: 100 } },
        { key: 'employerCreditCode', label: t('就业单位统一社会信用代码', "Employer's credit code"), type: 'creditCode', required: false },
        { key: 'socialInsuranceMonths', label: t('在青社会保险缴费月数', 'Months of social insurance paid in Qingdao'), type: 'number', required: true, validation: { min: 0, max: 600 } },
        {
          key: 'settleType',
          label: t('落户方式', 'Where to register'),
          type: 'select',
          required: true,
          validation: { options: [
            { value: 'own_home', label: t('合法稳定住所', 'Own home') },
            { value: 'employer_collective', label: t('单位集体户', 'Employer collective household') },
            { value: 'talent_market', label: t('人才市场集体户', 'Talent-market collective household') },
            { value: 'community', label: t('社区公共户', 'Community household') },
          ] },
        },
        { key: 'settleDistrict', label: t('拟落户区（市）', 'District'), type: 'select', required: true, validation: { options: DISTRICT_OPTIONS } },
        { key: 'settleAddress', label: t('拟落户地址', 'Address to register at'), type: 'text', required: true, validation: { min: 5, max: 120 } },
        { key: 'moveFromAddress', label: t('原户籍地址', 'Current household registration address'), type: 'text', required: true, validation: { min: 5, max: 120 } },
        { key: 'familyMembers', label: t('随迁家属人数', 'Family members moving along'), type: 'number', required: false, validation: { min: 0, max: 10 } },
        { key: 'spouseIdNumber', label: t('配偶公民身份号码', "Spouse's citizen ID number"), type: 'idNumber', required: false },
        COMMITMENT,
      ],
    },
    materials: [
      { key: 'idCard', name: '居民身份证', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '居民身份证' },
      { key: 'householdBook', name: '居民户口簿', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 10 }, certificateType: '居民户口簿' },
      { key: 'diploma', name: '学历学位证书或职业资格证书', required: true, upload: { types: ['pdf', 'jpg', 'png', 'ofd'], maxSizeMb: 10 }, certificateType: null },
      { key: 'skillCertificate', name: '职业技能等级证书（技能人才）', required: false, upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: '职业技能等级证书' },
      { key: 'propertyCertificate', name: '不动产权证书（合法稳定住所落户）', required: false, upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: '不动产权证书' },
      { key: 'marriageCertificate', name: '结婚证（配偶随迁）', required: false, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '结婚证' },
    ],
  },
  '住房公积金提取（租房）': {
    form: {
      fields: [
        ...PERSON_FIELDS,
        { key: 'accountNumber', label: t('住房公积金个人账号', 'Provident fund account number'), type: 'text', required: true, validation: { pattern: '\\d{12}' }, help: t('12 位数字，可在缴存证明中查看', '12 digits, shown on the contribution statement') },
        { key: 'rentalDistrict', label: t('租住房屋所在区（市）', 'District of the rented home'), type: 'select', required: true, validation: { options: DISTRICT_OPTIONS } },
        { key: 'rentalAddress', label: t('租住房屋地址', 'Address of the rented home'), type: 'text', required: true, validation: { min: 5, max: 120 } },
        { key: 'leaseStart', label: t('租赁起始日期', 'Lease start'), type: 'date', required: true },
        { key: 'leaseEnd', label: t('租赁截止日期', 'Lease end'), type: 'date', required: true },
        { key: 'monthlyRent', label: t('月租金（元）', 'Monthly rent (yuan)'), type: 'number', required: true, validation: { min: 1, max: 100000 } },
        { key: 'noOwnHome', label: t('本人及配偶在本市无自有住房', 'Neither I nor my spouse own a home in the city'), type: 'checkbox', required: true },
        {
          key: 'maritalStatus',
          label: t('婚姻状况', 'Marital status'),
          type: 'select',
          required: true,
          validation: { options: [
            { value: 'single', label: t('未婚', 'Single') },
            { value: 'married', label: t('已婚', 'Married') },
            { value: 'divorced', label: t('离异', 'Divorced') },
            { value: 'widowed', label: t('丧偶', 'Widowed') },
          ] },
        },
        { key: 'spouseIdNumber', label: t('配偶公民身份号码', "Spouse's citizen ID number"), type: 'idNumber', required: false, help: t('已婚的请填写', 'If married') },
        { key: 'amount', label: t('本次提取金额（元）', 'Amount to withdraw (yuan)'), type: 'number', required: true, validation: { min: 1, max: 18000 }, help: t('每年提取总额不超过年度租房提取额度', 'Within the yearly renters’ limit') },
        {
          key: 'bank',
          label: t('收款银行', 'Bank'),
          type: 'select',
          required: true,
          validation: { options: [
            { value: 'icbc', label: t('中国工商银行', 'ICBC') },
            { value: 'ccb', label: t('中国建设银行', 'CCB') },
            { value: 'abc', label: t('中国农业银行', 'ABC') },
            { value: 'boc', label: t('中国银行', 'Bank of China') },
            { value: 'bqd', label: t('青岛银行', 'Bank of Qingdao') },
          ] },
        },
        { key: 'bankCard', label: t('本人银行卡号', 'Bank card number'), type: 'text', required: true, validation: { pattern: '\\d{16,19}' } },
        COMMITMENT,
      ],
    },
    materials: [
      { key: 'idCard', name: '居民身份证', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '居民身份证' },
      { key: 'depositProof', name: '住房公积金缴存证明', required: true, upload: null, certificateType: '住房公积金缴存证明' },
      { key: 'lease', name: '房屋租赁合同（已备案的可免交）', required: false, upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: null },
      { key: 'rentInvoice', name: '租金发票', required: false, upload: { types: ['pdf', 'jpg', 'png', 'ofd'], maxSizeMb: 5 }, certificateType: null },
      { key: 'marriageCertificate', name: '结婚证（已婚）', required: false, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '结婚证' },
    ],
  },
};

/** Demo form of an ordinary seeded item: who applies, what for, a commitment; plus a topical field. */
export function demoForm(name: string, applicant: ApplicantType): FormDefinition {
  const base = applicant === 'enterprise' ? ENTERPRISE_FIELDS : PERSON_FIELDS;
  const extra: FormField[] = [];
  if (/登记|许可|核发|认定|审批|注册/.test(name)) extra.push({ key: 'address', label: t('住所（经营场所）地址', 'Address'), type: 'text', required: true, validation: { min: 5, max: 120 } });
  if (/补贴|给付|报销|补助|津贴|提取|保险金/.test(name)) extra.push({ key: 'bankCard', label: t('本人银行卡号', 'Bank card number'), type: 'text', required: true, validation: { pattern: '\\d{16,19}' } });
  if (/新生儿|出生/.test(name)) extra.push({ key: 'babyBirthDate', label: t('新生儿出生日期', "Baby's date of birth"), type: 'date', required: true });
  if (/换领|换证|补办/.test(name)) extra.push({ key: 'reason', label: t('申请原因', 'Reason'), type: 'select', required: true, validation: { options: [{ value: 'expired', label: t('有效期满', 'Expired') }, { value: 'lost', label: t('遗失', 'Lost') }, { value: 'damaged', label: t('损坏', 'Damaged') }] } });
  extra.push({ key: 'remark', label: t('备注', 'Remarks'), type: 'text', required: false, validation: { max: 500 } });
  return { fields: [...base, ...extra, COMMITMENT] };
}

export function demoMaterials(name: string, applicant: ApplicantType): Material[] {
  const out: Material[] =
    applicant === 'enterprise'
      ? [
          { key: 'licence', name: '营业执照', required: true, upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: '营业执照' },
          { key: 'applicationForm', name: '申请书', required: true, upload: { types: ['pdf', 'doc', 'docx'], maxSizeMb: 10 }, certificateType: null },
        ]
      : [{ key: 'idCard', name: '居民身份证', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '居民身份证' }];
  if (/户口|户籍|新生儿出生户口/.test(name)) out.push({ key: 'householdBook', name: '居民户口簿', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 10 }, certificateType: '居民户口簿' });
  if (/新生儿|出生/.test(name) && !/出生医学证明签发/.test(name)) out.push({ key: 'birthCertificate', name: '出生医学证明', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '出生医学证明' });
  if (/残疾/.test(name)) out.push({ key: 'disabilityCard', name: '残疾人证', required: /补贴/.test(name), upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '残疾人证' });
  if (/驾驶证|驾驶员/.test(name)) out.push({ key: 'drivingLicence', name: '机动车驾驶证', required: true, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '机动车驾驶证' });
  if (/不动产|二手房|购房/.test(name)) out.push({ key: 'propertyCertificate', name: '不动产权证书', required: !/查询/.test(name), upload: { types: ['pdf', 'jpg', 'png'], maxSizeMb: 10 }, certificateType: '不动产权证书' });
  if (/食品经营/.test(name)) out.push({ key: 'foodSafetyPlan', name: '食品安全管理制度文本', required: true, upload: { types: ['pdf', 'doc', 'docx'], maxSizeMb: 10 }, certificateType: null });
  if (/退役/.test(name)) out.push({ key: 'veteranCard', name: '退役军人优待证', required: false, upload: { types: ['jpg', 'png', 'pdf'], maxSizeMb: 5 }, certificateType: '退役军人优待证' });
  if (/施工|规划|工程|环境影响|排水|取水|人防/.test(name)) out.push({ key: 'drawings', name: '设计图纸及说明', required: true, upload: { types: ['pdf'], maxSizeMb: 50 }, certificateType: null });
  return out;
}
