import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { customersStrings } from '../features/customers/i18n.ts';
import { dashboardStrings } from '../features/dashboard/i18n.ts';
import { importsStrings } from '../features/imports/i18n.ts';
import { schemesStrings } from '../features/schemes/i18n.ts';
import { settingsStrings } from '../features/settings/i18n.ts';
import { commonStrings } from './common.ts';

export type Language = 'zh' | 'en';
const STORAGE_KEY = 'kelei.language';

/** The language before anyone signs in: the last one used in this browser, else Chinese. */
export function storedLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
}

export function languageOfLocale(locale: string | undefined): Language {
  return locale?.startsWith('en') ? 'en' : 'zh';
}

export function localeOfLanguage(language: Language): 'zh-CN' | 'en-US' {
  return language === 'en' ? 'en-US' : 'zh-CN';
}

export async function setLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = localeOfLanguage(language);
  await i18n.changeLanguage(language);
}

const namespaces = {
  common: commonStrings,
  dashboard: dashboardStrings,
  customers: customersStrings,
  imports: importsStrings,
  schemes: schemesStrings,
  settings: settingsStrings,
};

void i18n.use(initReactI18next).init({
  lng: storedLanguage(),
  fallbackLng: 'zh',
  ns: Object.keys(namespaces),
  defaultNS: 'common',
  resources: {
    zh: Object.fromEntries(Object.entries(namespaces).map(([ns, s]) => [ns, s.zh])),
    en: Object.fromEntries(Object.entries(namespaces).map(([ns, s]) => [ns, s.en])),
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
