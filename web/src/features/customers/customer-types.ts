/** The customers pages' names for the API's shapes; every shape is the contract's (src/api/contract/). */

import type { Bilingual, ClassStep, CustomerClassView, CustomerProfile } from '../../api/contract.ts';

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
