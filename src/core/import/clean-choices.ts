/** Words from a fixed vocabulary (gender, kinds, channels, statuses) and satisfaction ratings from cells. */

import { parseInteger } from './clean-numbers.ts';
import {
  type CellValue,
  type CleanErrorCode,
  type CleanResult,
  fail,
  ok,
  quote,
  toHalfWidth,
} from './clean-result.ts';
import { textOf } from './clean-text.ts';

// ---------------------------------------------------------------------------
// Vocabularies (gender, kinds, channels, statuses)

export type Gender = 'male' | 'female';
export type CustomerKind = 'individual' | 'company';
export type InteractionChannel = 'phone' | 'email' | 'wechat' | 'visit' | 'chat' | 'other';
export type InteractionDirection = 'inbound' | 'outbound';
export type FeedbackKind = 'complaint' | 'suggestion' | 'praise' | 'inquiry' | 'other';
export type FeedbackStatus = 'open' | 'handled';

type Vocabulary<T extends string> = {
  code: CleanErrorCode;
  label_zh: string;
  label_en: string;
  words: Readonly<Record<T, readonly string[]>>;
  /** values that mean "not known": they clean to null instead of failing */
  unknown?: readonly string[];
  /** what an unrecognised word becomes; without it an unrecognised word is an error */
  fallback?: T;
};

function vocabularyKey(text: string): string {
  return toHalfWidth(text).trim().toLowerCase().replace(/\s+/g, ' ');
}

function compileVocabulary<T extends string>(
  vocabulary: Vocabulary<T>,
): (value: CellValue) => CleanResult<T | null> {
  const lookup = new Map<string, T>();
  for (const [canonical, words] of Object.entries(vocabulary.words) as [T, readonly string[]][]) {
    lookup.set(canonical, canonical);
    for (const word of words) lookup.set(vocabularyKey(word), canonical);
  }
  const unknown = new Set((vocabulary.unknown ?? []).map(vocabularyKey));
  const allowed = Object.keys(vocabulary.words).join('/');
  return (value) => {
    const text = textOf(value);
    if (text === null) return ok(null);
    const key = vocabularyKey(text);
    const found = lookup.get(key);
    if (found) return ok(found);
    if (unknown.has(key)) return ok(null);
    if (vocabulary.fallback) return ok(vocabulary.fallback);
    return fail(vocabulary.code, {
      zh: `${vocabulary.label_zh}${quote(value)}无法识别`,
      en: `${vocabulary.label_en} ${quote(value)} is not recognised (expected ${allowed})`,
    });
  };
}

const UNKNOWN_WORDS = [
  '未知',
  '保密',
  '不详',
  '不明',
  '未填',
  '无',
  '-',
  '--',
  '/',
  '?',
  'unknown',
  'n/a',
  'na',
  'none',
];

/**
 * Gender → 'male' | 'female'. Explicit "don't know" values (未知, 保密, 其他, U, unknown, -)
 * clean to null without error; anything else unrecognised — including numeric codes
 * such as 0/1/2, whose meaning differs between systems — is an error, so a wrongly
 * mapped column shows up in the dry run instead of being silently emptied.
 */
export const parseGender = compileVocabulary<Gender>({
  code: 'invalid_gender',
  label_zh: '性别',
  label_en: 'Gender',
  words: {
    male: ['男', '男性', '男士', '先生', 'm', 'man', 'mr', 'mr.'],
    female: ['女', '女性', '女士', '小姐', '太太', 'f', 'woman', 'ms', 'ms.', 'mrs', 'mrs.', 'miss'],
  },
  unknown: [...UNKNOWN_WORDS, '其他', '其它', 'u', 'x', 'other'],
});

/** Customer kind: 个人 → 'individual', 企业/公司/单位 → 'company'; anything else is an error. */
export const parseCustomerKind = compileVocabulary<CustomerKind>({
  code: 'invalid_choice',
  label_zh: '客户类型',
  label_en: 'Customer kind',
  words: {
    individual: ['个人', '个人客户', '自然人', 'person', 'personal', 'consumer', 'b2c', 'c'],
    company: [
      '企业',
      '企业客户',
      '公司',
      '单位',
      '机构',
      '组织',
      'business',
      'organization',
      'organisation',
      'b2b',
      'b',
    ],
  },
  unknown: UNKNOWN_WORDS,
});

/** Interaction channel: 电话/邮件/微信/拜访/在线… ; unrecognised channels become 'other'. */
export const parseInteractionChannel = compileVocabulary<InteractionChannel>({
  code: 'invalid_choice',
  label_zh: '互动方式',
  label_en: 'Channel',
  words: {
    phone: ['电话', '来电', '去电', '电话回访', '手机', '短信', 'call', 'telephone', 'tel', 'sms'],
    email: ['邮件', '电子邮件', '邮箱', 'e-mail', 'mail'],
    wechat: ['微信', '企业微信', '企微', 'weixin', 'wx'],
    visit: ['拜访', '上门', '上门拜访', '面谈', '到店', '到访', 'meeting', 'in person', 'onsite'],
    chat: ['在线', '在线客服', '聊天', 'qq', '旺旺', '客服消息', 'online', 'live chat', 'im'],
    other: ['其他', '其它'],
  },
  fallback: 'other',
});

/** Interaction direction: 呼入/来电/客户发起 → 'inbound', 呼出/去电/回访/主动 → 'outbound'. */
export const parseInteractionDirection = compileVocabulary<InteractionDirection>({
  code: 'invalid_choice',
  label_zh: '互动方向',
  label_en: 'Direction',
  words: {
    inbound: ['呼入', '来电', '来访', '客户发起', '被动', 'in', 'incoming'],
    outbound: ['呼出', '去电', '回访', '主动', '我方发起', 'out', 'outgoing'],
  },
  unknown: UNKNOWN_WORDS,
});

/** Feedback kind: 投诉 → 'complaint', 建议 → 'suggestion', 表扬 → 'praise', 咨询 → 'inquiry'; else 'other'. */
export const parseFeedbackKind = compileVocabulary<FeedbackKind>({
  code: 'invalid_choice',
  label_zh: '反馈类型',
  label_en: 'Feedback kind',
  words: {
    complaint: ['投诉', '客诉', '抱怨', '差评'],
    suggestion: ['建议', '意见', '改进建议'],
    praise: ['表扬', '赞扬', '好评', '感谢', 'compliment'],
    inquiry: ['咨询', '询问', '疑问', 'question', 'enquiry'],
    other: ['其他', '其它'],
  },
  fallback: 'other',
});

/** Feedback status: 未处理/待处理/处理中 → 'open', 已处理/已解决/已关闭 → 'handled'. */
export const parseFeedbackStatus = compileVocabulary<FeedbackStatus>({
  code: 'invalid_choice',
  label_zh: '处理状态',
  label_en: 'Status',
  words: {
    open: ['未处理', '待处理', '处理中', '跟进中', '未解决', '新建', 'new', 'pending', 'in progress'],
    handled: ['已处理', '已解决', '已关闭', '已完成', '完成', '关闭', 'resolved', 'closed', 'done'],
  },
  unknown: UNKNOWN_WORDS,
});

const SATISFACTION_WORDS: Readonly<Record<string, number>> = {
  非常满意: 5,
  很满意: 5,
  满意: 4,
  比较满意: 4,
  一般: 3,
  不满意: 2,
  不太满意: 2,
  非常不满意: 1,
  很不满意: 1,
};

/**
 * Satisfaction 1–5 (满意度): a number (`4`, `4分`, `4星`), stars (`★★★★☆` → 4) or
 * words (非常满意 → 5, 满意 → 4, 一般 → 3, 不满意 → 2, 非常不满意 → 1).
 */
export function parseSatisfaction(value: CellValue): CleanResult<number | null> {
  if (typeof value === 'string') {
    const text = toHalfWidth(value).trim();
    const word = SATISFACTION_WORDS[text];
    if (word !== undefined) return ok(word);
    if (/^[★☆]+$/.test(text)) return parseInteger(String(text.replace(/☆/g, '').length), { min: 1, max: 5 });
  }
  return parseInteger(value, { min: 1, max: 5 });
}
