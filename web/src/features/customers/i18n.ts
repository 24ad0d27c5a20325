/** Strings of the customers pages, in both languages (namespace `customers`). */
export const customersStrings = {
  zh: {
    title: '客户',
  },
  en: {
    title: 'Customers',
  },
};
