/** The languages a user may choose for the interface; the web UI follows the signed-in user's choice. */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
