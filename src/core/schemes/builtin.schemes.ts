import type { SchemeDefinition } from './scheme.ts';

/** 价值分层: the seed template of cumulative spend (docs/classification.md#built-in-schemes). */
export const valueTierScheme: SchemeDefinition = {
  key: 'value_tier',
  name: { zh: '价值分层', en: 'Value tier' },
  description: {
    zh: '按累计消费金额划分高、中、低价值客户',
    en: 'High, medium and low value by lifetime spend',
  },
  params: { high: 10000, medium: 2000 },
  classes: [
    {
      key: 'high',
      name: { zh: '高价值客户', en: 'High value' },
      color: '#cf1322',
      rule: 'order_count >= 1 and total_amount >= $high',
      plan: {
        goal: '提升忠诚度，防止流失',
        actions: '专属客户经理、优先服务、定期回访与专属优惠',
        contact_every_days: 30,
        owner_role: 'sales',
      },
    },
    {
      key: 'medium',
      name: { zh: '中价值客户', en: 'Medium value' },
      color: '#fa8c16',
      rule: 'order_count >= 1 and total_amount >= $medium',
      plan: {
        goal: '提升客单价与购买频次',
        actions: '交叉销售、会员积分活动、季度回访',
        contact_every_days: 90,
        owner_role: 'sales',
      },
    },
    {
      key: 'low',
      name: { zh: '低价值客户', en: 'Low value' },
      color: '#1677ff',
      rule: 'order_count >= 1',
      plan: {
        goal: '培养购买习惯',
        actions: '促销推送、新品推荐',
        contact_every_days: 180,
        owner_role: 'service',
      },
    },
    {
      key: 'none',
      name: { zh: '潜在客户', en: 'Prospect' },
      color: '#8c8c8c',
      rule: 'true',
      plan: { goal: '促成首单', actions: '首单优惠、产品介绍', contact_every_days: 60, owner_role: 'sales' },
    },
  ],
};

/** 生命周期 (docs/classification.md#built-in-schemes), first match wins. */
export const lifecycleScheme: SchemeDefinition = {
  key: 'lifecycle',
  name: { zh: '生命周期', en: 'Lifecycle' },
  description: { zh: '新客户、成长、稳定、流失预警与流失', en: 'New, growing, stable, at risk and churned' },
  params: { churn_days: 180, risk_days: 90, new_days: 90, stable_orders: 5, stable_days: 365 },
  classes: [
    {
      key: 'prospect',
      name: { zh: '潜在客户', en: 'Prospect' },
      color: '#8c8c8c',
      rule: 'order_count = 0',
      plan: { goal: '促成首单', actions: '首单优惠、产品介绍', contact_every_days: 60, owner_role: 'sales' },
    },
    {
      key: 'churned',
      name: { zh: '流失客户', en: 'Churned' },
      color: '#595959',
      rule: 'recency_days > $churn_days',
      plan: {
        goal: '挽回',
        actions: '召回短信、大额优惠券、回访了解流失原因',
        contact_every_days: 90,
        owner_role: 'service',
      },
    },
    {
      key: 'at_risk',
      name: { zh: '流失预警客户', en: 'At risk' },
      color: '#fa541c',
      rule: 'recency_days > $risk_days',
      plan: {
        goal: '防止流失',
        actions: '关怀回访、专属优惠、满意度调查',
        contact_every_days: 14,
        owner_role: 'service',
      },
    },
    {
      key: 'new',
      name: { zh: '新客户', en: 'New' },
      color: '#52c41a',
      rule: 'tenure_days <= $new_days',
      plan: {
        goal: '促成复购',
        actions: '欢迎礼包、使用指导、首月回访',
        contact_every_days: 30,
        owner_role: 'service',
      },
    },
    {
      key: 'stable',
      name: { zh: '长期稳定客户', en: 'Stable' },
      color: '#722ed1',
      rule: 'order_count >= $stable_orders and tenure_days >= $stable_days',
      plan: {
        goal: '维持忠诚',
        actions: '会员权益、生日关怀、新品优先体验',
        contact_every_days: 60,
        owner_role: 'sales',
      },
    },
    {
      key: 'growing',
      name: { zh: '成长客户', en: 'Growing' },
      color: '#13c2c2',
      rule: 'true',
      plan: {
        goal: '提升购买频次',
        actions: '交叉销售、会员升级激励',
        contact_every_days: 45,
        owner_role: 'sales',
      },
    },
  ],
};

const high = (s: 'r' | 'f' | 'm') => `${s}_score > avg(${s}_score)`;
const low = (s: 'r' | 'f' | 'm') => `${s}_score <= avg(${s}_score)`;
const rfm = (r: boolean, f: boolean, m: boolean) =>
  [r ? high('r') : low('r'), f ? high('f') : low('f'), m ? high('m') : low('m')].join(' and ');

/** RFM 八类 (docs/classification.md#built-in-schemes): quintile scores over the trailing 365 days, high = above the mean. */
export const rfm8Scheme: SchemeDefinition = {
  key: 'rfm8',
  name: { zh: 'RFM 八类', en: 'RFM eight segments' },
  description: {
    zh: '近一年的最近消费(R)、频次(F)、金额(M)五分位评分，高于平均为高',
    en: 'Recency, frequency and monetary quintile scores over 365 days; above the mean is high',
  },
  scores: ['r_score', 'f_score', 'm_score'],
  classes: [
    {
      key: 'important_value',
      name: { zh: '重要价值客户', en: 'Champions' },
      color: '#cf1322',
      rule: rfm(true, true, true),
      plan: { goal: '保持', actions: 'VIP 服务、专属权益', contact_every_days: 30, owner_role: 'sales' },
    },
    {
      key: 'important_develop',
      name: { zh: '重要发展客户', en: 'Important to develop' },
      color: '#fa8c16',
      rule: rfm(true, false, true),
      plan: { goal: '提升频次', actions: '会员活动、复购激励', contact_every_days: 30, owner_role: 'sales' },
    },
    {
      key: 'important_keep',
      name: { zh: '重要保持客户', en: 'Important to keep' },
      color: '#d4b106',
      rule: rfm(false, true, true),
      plan: { goal: '唤回', actions: '主动联系、个性化推荐', contact_every_days: 14, owner_role: 'sales' },
    },
    {
      key: 'important_retain',
      name: { zh: '重要挽留客户', en: 'Important to win back' },
      color: '#eb2f96',
      rule: rfm(false, false, true),
      plan: {
        goal: '挽留',
        actions: '回访了解原因、挽留优惠',
        contact_every_days: 14,
        owner_role: 'service',
      },
    },
    {
      key: 'general_value',
      name: { zh: '一般价值客户', en: 'Loyal, low spend' },
      color: '#1677ff',
      rule: rfm(true, true, false),
      plan: { goal: '提升客单价', actions: '套餐、交叉销售', contact_every_days: 60, owner_role: 'sales' },
    },
    {
      key: 'general_develop',
      name: { zh: '一般发展客户', en: 'New, low spend' },
      color: '#52c41a',
      rule: rfm(true, false, false),
      plan: {
        goal: '培养习惯',
        actions: '新客礼包、使用指导',
        contact_every_days: 60,
        owner_role: 'service',
      },
    },
    {
      key: 'general_keep',
      name: { zh: '一般保持客户', en: 'Frequent, lapsing' },
      color: '#13c2c2',
      rule: rfm(false, true, false),
      plan: { goal: '唤醒', actions: '促销提醒', contact_every_days: 90, owner_role: 'service' },
    },
    {
      key: 'general_retain',
      name: { zh: '一般挽留客户', en: 'Lapsing, low value' },
      color: '#8c8c8c',
      rule: rfm(false, false, false),
      plan: { goal: '低成本维护', actions: '群发营销', contact_every_days: 180, owner_role: 'service' },
    },
    {
      key: 'inactive',
      name: { zh: '未消费客户', en: 'No orders in window' },
      color: '#bfbfbf',
      rule: 'true',
      plan: { goal: '激活', actions: '唤醒活动', contact_every_days: 180, owner_role: 'service' },
    },
  ],
};

/** 价值-潜力矩阵 (docs/classification.md#built-in-schemes): current value × potential, 50 splits high from low. */
export const valuePotentialScheme: SchemeDefinition = {
  key: 'value_potential',
  name: { zh: '价值-潜力矩阵', en: 'Value × potential' },
  description: {
    zh: '当前价值（近一年金额、频次、毛利）与潜力（消费趋势、品类广度、企业规模、推荐意愿）四象限',
    en: 'Current value (365-day spend, orders, profit) against potential (trend, breadth, company size, NPS)',
  },
  params: { high: 50 },
  scores: ['value_score', 'potential_score'],
  classes: [
    {
      key: 'strategic',
      name: { zh: '战略客户', en: 'Strategic' },
      color: '#cf1322',
      rule: 'value_score >= $high and potential_score >= $high',
      plan: {
        goal: '深度合作',
        actions: '高层拜访、定制方案、专属团队',
        contact_every_days: 14,
        owner_role: 'manager',
      },
    },
    {
      key: 'maintain',
      name: { zh: '维持客户', en: 'Maintain' },
      color: '#fa8c16',
      rule: 'value_score >= $high',
      plan: { goal: '维持份额', actions: '稳定服务、定期回访', contact_every_days: 30, owner_role: 'sales' },
    },
    {
      key: 'develop',
      name: { zh: '发展客户', en: 'Develop' },
      color: '#52c41a',
      rule: 'potential_score >= $high',
      plan: { goal: '挖掘潜力', actions: '交叉销售、试用新品', contact_every_days: 30, owner_role: 'sales' },
    },
    {
      key: 'general',
      name: { zh: '一般客户', en: 'General' },
      color: '#8c8c8c',
      rule: 'true',
      plan: {
        goal: '低成本维护',
        actions: '标准化服务、线上触达',
        contact_every_days: 180,
        owner_role: 'service',
      },
    },
  ],
};

export const BUILTIN_SCHEMES: readonly SchemeDefinition[] = [
  valueTierScheme,
  lifecycleScheme,
  rfm8Scheme,
  valuePotentialScheme,
];
