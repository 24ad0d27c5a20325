/** Strings of the dashboard pages, in both languages (namespace `dashboard`). */
export const dashboardStrings = {
  zh: {
    title: '概览',
  },
  en: {
    title: 'Dashboard',
  },
};
