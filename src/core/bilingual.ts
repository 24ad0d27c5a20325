/**
 * A user-visible text in both languages. Every message Kelei writes for people
 * (errors, row problems, labels) has this one shape: `{ zh: '客户不存在', en: 'no such customer' }`.
 */
export type Bilingual = { zh: string; en: string };

export type Lang = 'zh' | 'en';

/** The text of one language: `pick({ zh: '已发布', en: 'published' }, 'en') === 'published'`. */
export function pick(text: Bilingual, lang: Lang): string {
  return lang === 'zh' ? text.zh : text.en;
}

/** Joins several messages language by language, with each language's separator. */
export function joinBilingual(texts: readonly Bilingual[]): Bilingual {
  return { zh: texts.map((t) => t.zh).join('；'), en: texts.map((t) => t.en).join('; ') };
}
