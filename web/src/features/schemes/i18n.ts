/** Strings of the schemes pages, in both languages (namespace `schemes`). */
export const schemesStrings = {
  zh: {
    title: '分类方案',
  },
  en: {
    title: 'Classification schemes',
  },
};
