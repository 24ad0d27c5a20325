/** Strings of the imports pages, in both languages (namespace `imports`). */
export const importsStrings = {
  zh: {
    title: '导入数据',
  },
  en: {
    title: 'Import data',
  },
};
