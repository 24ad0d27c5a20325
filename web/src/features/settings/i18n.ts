/** Strings of the settings pages, in both languages (namespace `settings`). */
export const settingsStrings = {
  zh: {
    title: '设置',
  },
  en: {
    title: 'Settings',
  },
};
