/**
 * The words the demo data is made of: Xiamen's city-level budget departments (市本级预算部门),
 * the domains (行业领域) their projects fall in, and the pieces project names are built from.
 * `weight` is how many projects a department tends to have relative to the others.
 */

export const DOMAINS = [
  '一般公共服务',
  '公共安全',
  '教育',
  '科学技术',
  '文化旅游',
  '体育',
  '社会保障',
  '医疗卫生',
  '生态环境',
  '城乡建设',
  '农林水',
  '交通运输',
  '工业信息',
  '商贸服务',
  '金融',
  '自然资源',
  '住房保障',
  '应急管理',
  '海洋渔业',
] as const;
export type Domain = (typeof DOMAINS)[number];

export interface DepartmentSeed {
  name: string;
  domain: Domain;
  /** A short pinyin tag for the contact address. */
  mail: string;
  weight: number;
}

const d = (name: string, domain: Domain, mail: string, weight = 1): DepartmentSeed => ({ name, domain, mail, weight });

/** 87 departments, D001..D087 in this order. */
export const DEPARTMENTS: DepartmentSeed[] = [
  d('市委办公厅', '一般公共服务', 'swbgt'),
  d('市人大常委会办公厅', '一般公共服务', 'rdcwh'),
  d('市人民政府办公厅', '一般公共服务', 'zfbgt', 1.5),
  d('市政协办公厅', '一般公共服务', 'zx'),
  d('市纪委监委机关', '一般公共服务', 'jwjw'),
  d('市委组织部', '一般公共服务', 'zzb', 1.5),
  d('市委宣传部', '文化旅游', 'xcb', 2),
  d('市委统战部', '一般公共服务', 'tzb'),
  d('市委政法委员会', '公共安全', 'zfw'),
  d('市委机构编制委员会办公室', '一般公共服务', 'bb', 0.5),
  d('市委网络安全和信息化委员会办公室', '工业信息', 'wxb'),
  d('市委党校', '教育', 'dx'),
  d('市委老干部局', '社会保障', 'lgbj', 0.5),
  d('市委党史研究室', '一般公共服务', 'dsyjs', 0.5),
  d('市发展和改革委员会', '一般公共服务', 'fgw', 3),
  d('市教育局', '教育', 'jyj', 6),
  d('市科学技术局', '科学技术', 'kjj', 4),
  d('市工业和信息化局', '工业信息', 'gxj', 4),
  d('市民族与宗教事务局', '一般公共服务', 'mzj', 0.5),
  d('市公安局', '公共安全', 'gaj', 5),
  d('市民政局', '社会保障', 'mzhj', 4),
  d('市司法局', '公共安全', 'sfj', 2),
  d('市财政局', '一般公共服务', 'czj', 3),
  d('市人力资源和社会保障局', '社会保障', 'rsj', 4),
  d('市自然资源和规划局', '自然资源', 'zygh', 4),
  d('市生态环境局', '生态环境', 'sthjj', 4),
  d('市建设局', '城乡建设', 'jsj', 5),
  d('市交通运输局', '交通运输', 'jtj', 5),
  d('市农业农村局', '农林水', 'nyncj', 5),
  d('市水利局', '农林水', 'slj', 3),
  d('市商务局', '商贸服务', 'swj', 3),
  d('市文化和旅游局', '文化旅游', 'wlj', 4),
  d('市卫生健康委员会', '医疗卫生', 'wjw', 6),
  d('市退役军人事务局', '社会保障', 'tyjrj', 1.5),
  d('市应急管理局', '应急管理', 'yjj', 3),
  d('市审计局', '一般公共服务', 'sjj'),
  d('市人民政府国有资产监督管理委员会', '一般公共服务', 'gzw', 1.5),
  d('市市场监督管理局', '商贸服务', 'scjgj', 3),
  d('市体育局', '体育', 'tyj', 3),
  d('市统计局', '一般公共服务', 'tjj'),
  d('市医疗保障局', '医疗卫生', 'ybj', 2),
  d('市城市管理行政执法局', '城乡建设', 'cgj', 3),
  d('市市政园林局', '城乡建设', 'szylj', 4),
  d('市海洋发展局', '海洋渔业', 'hyj', 3),
  d('市地方金融监督管理局', '金融', 'jrj', 2),
  d('市信访局', '一般公共服务', 'xfj', 0.5),
  d('市人民防空办公室', '应急管理', 'rfb', 1.5),
  d('市机关事务管理局', '一般公共服务', 'jgswj', 2),
  d('市人民政府外事办公室', '一般公共服务', 'wsb'),
  d('市人民政府台港澳事务办公室', '一般公共服务', 'tb'),
  d('市投资促进局', '商贸服务', 'tcj', 1.5),
  d('市口岸管理办公室', '商贸服务', 'kab'),
  d('市行政服务中心管理委员会', '一般公共服务', 'xzfw', 1.5),
  d('市住房保障和房屋管理局', '住房保障', 'zfj', 4),
  d('市住房公积金管理中心', '住房保障', 'gjj'),
  d('市地震局', '应急管理', 'dzj', 0.5),
  d('市气象局', '自然资源', 'qxj'),
  d('市档案馆', '一般公共服务', 'dag', 0.5),
  d('市地方志编纂委员会办公室', '一般公共服务', 'dfz', 0.5),
  d('市供销合作社', '农林水', 'gxs', 0.5),
  d('市总工会', '社会保障', 'zgh'),
  d('共青团厦门市委员会', '一般公共服务', 'tsw', 0.5),
  d('市妇女联合会', '社会保障', 'fl', 0.5),
  d('市科学技术协会', '科学技术', 'kx'),
  d('市文学艺术界联合会', '文化旅游', 'wl', 0.5),
  d('市社会科学界联合会', '科学技术', 'skl', 0.5),
  d('市残疾人联合会', '社会保障', 'cl', 1.5),
  d('市红十字会', '医疗卫生', 'hszh', 0.5),
  d('市归国华侨联合会', '一般公共服务', 'ql', 0.5),
  d('市工商业联合会', '商贸服务', 'gsl', 0.5),
  d('市中级人民法院', '公共安全', 'zy', 2),
  d('市人民检察院', '公共安全', 'jcy', 2),
  d('厦门火炬高技术产业开发区管理委员会', '科学技术', 'hjgw', 3),
  d('中国（福建）自由贸易试验区厦门片区管理委员会', '商贸服务', 'zmq', 2),
  d('鼓浪屿—万石山风景名胜区管理委员会', '文化旅游', 'glygw', 2),
  d('市园林植物园', '生态环境', 'zwy'),
  d('市公共资源交易中心', '一般公共服务', 'jyzx', 0.5),
  d('市社会保险中心', '社会保障', 'sbzx', 1.5),
  d('市不动产登记中心', '自然资源', 'bdc'),
  d('市疾病预防控制中心', '医疗卫生', 'cdc', 2),
  d('市广播电视集团', '文化旅游', 'gdjt', 1.5),
  d('市图书馆', '文化旅游', 'tsg'),
  d('市港口管理局', '交通运输', 'gkj', 2),
  d('市公路事业发展中心', '交通运输', 'glzx', 2),
  d('市消防救援支队', '应急管理', 'xfzd', 2),
  d('市环境卫生中心', '城乡建设', 'hwzx', 1.5),
  d('市翔安国际机场建设指挥部', '交通运输', 'jczhb', 2),
];

/**
 * What projects of a domain are about (the middle of a project name), each with the categories
 * a project about it can have: I infrastructure, T it, E equipment, P policy, O operations,
 * X other. So a 学生资助 project is a policy (补助) and never a 建设工程.
 */
export const SUBJECTS: Record<Domain, string[]> = {
  一般公共服务: [
    '机关办公用房:IEO',
    '政务服务:TOX',
    '电子政务:TEO',
    '档案数字化:TEO',
    '公务用车:EO',
    '人才引进:POX',
    '机关党建:OX',
    '会议保障:OE',
    '政府购买服务:OX',
  ],
  公共安全: [
    '社会治安防控:TEO',
    '公共视频监控:TEI',
    '执法执勤:EO',
    '法律援助:PO',
    '人民调解:PO',
    '审判业务:TEO',
    '检察业务:TEO',
    '监管场所:IEO',
    '禁毒工作:OPX',
  ],
  教育: [
    '中小学校舍:IO',
    '公办幼儿园:IEPO',
    '职业院校:IEPO',
    '特殊教育学校:IEO',
    '教师队伍:POX',
    '学生资助:P',
    '校园安全:TEO',
    '智慧校园:TE',
    '中小学实验室:IE',
    '校外教育:OP',
  ],
  科学技术: [
    '高新技术企业:P',
    '科技创新平台:PIT',
    '重点实验室:EPI',
    '科技成果转化:PX',
    '科普基地:IOP',
    '科技企业孵化器:PI',
    '产学研合作:PX',
    '社会科学研究:XP',
  ],
  文化旅游: [
    '公共文化场馆:IEO',
    '非物质文化遗产:POX',
    '文物保护:IOX',
    '全域旅游:POI',
    '群众文化活动:OP',
    '广播电视:ETO',
    '公共图书馆:ETO',
    '闽南文化生态保护区:PIX',
    '新闻出版:PO',
  ],
  体育: ['全民健身:OPI', '体育场馆:IEO', '青少年体育训练:OPE', '体育赛事:OP', '社区健身路径:IE', '竞技体育:PEO'],
  社会保障: [
    '养老服务机构:IPO',
    '居家社区养老:PO',
    '社会救助:P',
    '就业创业:PO',
    '困难群众:P',
    '残疾人康复:PEO',
    '城乡社区服务:OPI',
    '退役军人服务:PO',
    '社会保险经办:TO',
    '职工服务:OP',
  ],
  医疗卫生: [
    '基层医疗卫生机构:IEPO',
    '公立医院:IEPT',
    '疾病预防控制:EOP',
    '基本公共卫生服务:PO',
    '妇幼保健:EOP',
    '院前急救:EO',
    '中医药:POX',
    '卫生人才:POX',
    '医疗保障基金监管:TOX',
    '卫生应急:EO',
  ],
  生态环境: [
    '大气污染防治:PEO',
    '水污染防治:IPO',
    '土壤污染防治:PXO',
    '生态环境监测:ETO',
    '近岸海域环境:OIX',
    '固体废物处置:IPO',
    '噪声污染防治:EOX',
    '植物园:IOE',
  ],
  城乡建设: ['市政道路:IO', '城市绿化:IO', '老旧小区:IP', '排水管网:IO', '环境卫生:EOI', '城市照明:IO', '市容景观:IO', '城市公园:IO', '垃圾分类:PEO'],
  农林水: [
    '高标准农田:IP',
    '农村饮水安全:IP',
    '小型水库除险加固:I',
    '河道综合治理:IO',
    '森林防火:EO',
    '生态公益林:PO',
    '农业产业化:P',
    '乡村振兴示范村:IP',
    '水土保持:IOX',
  ],
  交通运输: ['城市道路:IO', '公交场站:IO', '公路养护:IO', '桥梁隧道:IO', '港口航道:IOX', '交通信号:TEI', '慢行系统:I', '公共停车设施:IT', '新机场配套:IX'],
  工业信息: ['工业企业技术改造:P', '数字经济:PT', '5G基站:PI', '软件和信息服务业:P', '智能制造:P', '政务云:TO', '网络安全:TO'],
  商贸服务: ['外贸企业:P', '会展业:PO', '商贸流通:P', '跨境电商:PT', '食品安全抽检:OE', '招商引资:OP', '口岸通关:TO', '自贸试验区:POX'],
  金融: ['普惠金融:P', '企业上市:P', '金融风险防控:TOX', '融资担保:P', '金融科技:PT'],
  自然资源: ['国土空间规划:XT', '地质灾害防治:IOX', '测绘地理信息:TX', '不动产登记:TO', '气象观测:EIT', '海域海岛管理:OX'],
  住房保障: ['保障性租赁住房:IP', '公共租赁住房:IO', '安置房:I', '住房公积金:TO', '老旧小区加装电梯:PI'],
  应急管理: ['应急救援队伍:EO', '应急物资储备:EO', '防汛防台:IEO', '安全生产监管:OT', '地震监测:ET', '人防工程:IO', '消防:EI'],
  海洋渔业: ['渔港:I', '海洋经济:P', '海漂垃圾治理:OE', '渔船安全:EP', '海洋生态修复:IX', '海洋环境监测:ET'],
};

export const CATEGORY_LETTERS = { I: 'infrastructure', T: 'it', E: 'equipment', P: 'policy', O: 'operations', X: 'other' } as const;

/** A subject and the categories it allows. */
export function parseSubject(entry: string): { subject: string; categories: (typeof CATEGORY_LETTERS)[keyof typeof CATEGORY_LETTERS][] } {
  const [subject, letters = 'X'] = entry.split(':') as [string, string?];
  return { subject, categories: [...letters].map((l) => CATEGORY_LETTERS[l as keyof typeof CATEGORY_LETTERS]) };
}

/** The end of a level-2 project's name, by category. */
export const CATEGORY_SUFFIXES = {
  infrastructure: ['建设工程', '改扩建工程', '维修改造', '提升改造工程', '配套设施建设'],
  it: ['信息化建设', '信息系统升级改造', '智慧平台建设', '数据资源整合', '网络安全等级保护'],
  equipment: ['设备购置', '装备更新', '仪器设备采购', '专用车辆购置'],
  policy: ['专项补助', '奖励资金', '补贴资金', '扶持资金', '专项资金'],
  operations: ['运行维护经费', '政府购买服务', '专项工作经费', '日常运行保障', '宣传培训经费'],
  other: ['前期工作经费', '课题研究', '专项调研', '项目评审经费'],
} as const;

/** The end of a level-1 project's name. */
export const LEVEL1_SUFFIXES = ['专项', '发展专项', '建设项目', '保障项目', '提升工程', '工作经费'];

/** Where a level-2 project happens, when its name says so. */
export const PLACES = ['思明区', '湖里区', '集美区', '海沧区', '同安区', '翔安区', '岛外', '全市'];

/** Why a refund came back. */
export const REFUND_NOTES = ['合同结算退回多付款', '供应商退回预付款', '项目结余退回', '误付款项退回'];
