/** The customers pages' names for the API's shapes; every shape is the contract's (src/api/contract/). */

import type {
  Bilingual,
  ClassStep,
  CustomerClassView,
  CustomerMetrics,
  CustomerProfile,
  Feedback,
  Interaction,
  Order,
} from '../../api/contract.ts';

export type {
  ClassStep,
  CustomerDetail,
  CustomerFacets as Facets,
  CustomerList as CustomerPage,
  CustomerListItem,
  CustomerMetrics,
  CustomerProfile,
  Feedback,
  Interaction,
  Order,
  Revealed,
  Scheme,
} from '../../api/contract.ts';

export type Pair = Bilingual;
export type Owner = CustomerProfile['owner'];
export type Condition = ClassStep['conditions'][number];
export type CustomerClass = CustomerClassView;
export type MetricKey = Exclude<keyof NonNullable<CustomerMetrics>, 'asOf' | 'computedAt'>;

/** One page of a customer's orders, interactions or feedback. */
export type ActivityPage = { orders: Order; interactions: Interaction; feedback: Feedback };
