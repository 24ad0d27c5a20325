/**
 * Every JSON endpoint of /api/v1 by method and path, with the schemas of its path
 * parameters, query string, body and successful answer. The routes validate with these
 * schemas; the web app and the browser tests derive their request and answer types from
 * this map (src/api/contract/endpoint.ts), so a change here is a type error there.
 */

import {
  activityIdParams,
  activityPagingQuery,
  createFeedbackBody,
  createInteractionBody,
  createOrderBody,
  feedbackDto,
  feedbackPageDto,
  interactionDto,
  interactionPageDto,
  orderDto,
  orderPageDto,
  updateFeedbackBody,
  updateInteractionBody,
  updateOrderBody,
} from './activities.contract.ts';
import { auditPageDto, auditQuery } from './audit.contract.ts';
import { localeBody, localeDto, loginBody, loginDto, logoutDto, meDto } from './auth.contract.ts';
import {
  customerClassesDto,
  customerClassesParams,
  distributionListDto,
  distributionQuery,
  runBody,
  runDto,
  runIdParams,
  runListDto,
  runListQuery,
  runResultDto,
} from './classification.contract.ts';
import { deletedResponse } from './common.contract.ts';
import {
  createCustomerBody,
  customerCodeParams,
  customerDetailDto,
  customerFacetsDto,
  customerListDto,
  customerListQuery,
  customerProfileDto,
  revealBody,
  revealedDto,
  updateCustomerBody,
} from './customers.contract.ts';
import { dashboardDto, dashboardQuery } from './dashboard.contract.ts';
import {
  commitAcceptedDto,
  historyListDto,
  historyQuery,
  jobDto,
  jobParams,
  reportDto,
  runOptionsBody,
  uploadDiscardedDto,
  uploadDto,
  uploadParams,
} from './imports.contract.ts';
import { erasureDto, privacyExportDto } from './privacy.contract.ts';
import { ruleCheckBody, ruleCheckDto, ruleFieldsDto } from './rules.contract.ts';
import {
  definitionBody,
  draftDiscardedDto,
  previewBody,
  previewDto,
  publishBody,
  schemeDraftDto,
  schemeDto,
  schemeKeyParams,
  schemeListDto,
  schemeVersionsDto,
} from './schemes.contract.ts';
import {
  changeOwnPasswordBody,
  createTokenBody,
  createUserBody,
  issuedTokenDto,
  resetPasswordBody,
  rolesDto,
  tokenDto,
  tokenListDto,
  updateUserBody,
  userDto,
  userIdParams,
  userListDto,
  userOkDto,
} from './users.contract.ts';

export const ENDPOINTS = {
  // auth and users
  'POST /auth/login': { body: loginBody, response: loginDto },
  'POST /auth/logout': { response: logoutDto },
  'GET /auth/me': { response: meDto },
  'PATCH /auth/me/locale': { body: localeBody, response: localeDto },
  'POST /auth/me/password': { body: changeOwnPasswordBody, response: userOkDto },
  'GET /users': { response: userListDto },
  'POST /users': { body: createUserBody, response: userDto, status: 201 },
  'PATCH /users/:id': { params: userIdParams, body: updateUserBody, response: userDto },
  'POST /users/:id/password': { params: userIdParams, body: resetPasswordBody, response: userOkDto },
  'POST /users/:id/unlock': { params: userIdParams, response: userOkDto },
  'GET /roles': { response: rolesDto },
  'GET /tokens': { response: tokenListDto },
  'POST /tokens': { body: createTokenBody, response: issuedTokenDto, status: 201 },
  'DELETE /tokens/:id': { params: userIdParams, response: tokenDto },
  'GET /audit': { querystring: auditQuery, response: auditPageDto },

  // customers and their activities
  'GET /customers': { querystring: customerListQuery, response: customerListDto },
  'GET /customer-facets': { response: customerFacetsDto },
  'POST /customers': { body: createCustomerBody, response: customerProfileDto, status: 201 },
  'GET /customers/:code': { params: customerCodeParams, response: customerDetailDto },
  'PATCH /customers/:code': {
    params: customerCodeParams,
    body: updateCustomerBody,
    response: customerProfileDto,
  },
  'POST /customers/:code/reveal': { params: customerCodeParams, body: revealBody, response: revealedDto },
  'GET /customers/:code/orders': {
    params: customerCodeParams,
    querystring: activityPagingQuery,
    response: orderPageDto,
  },
  'POST /customers/:code/orders': {
    params: customerCodeParams,
    body: createOrderBody,
    response: orderDto,
    status: 201,
  },
  'PATCH /orders/:id': { params: activityIdParams, body: updateOrderBody, response: orderDto },
  'DELETE /orders/:id': { params: activityIdParams, response: deletedResponse, status: 204 },
  'GET /customers/:code/interactions': {
    params: customerCodeParams,
    querystring: activityPagingQuery,
    response: interactionPageDto,
  },
  'POST /customers/:code/interactions': {
    params: customerCodeParams,
    body: createInteractionBody,
    response: interactionDto,
    status: 201,
  },
  'PATCH /interactions/:id': {
    params: activityIdParams,
    body: updateInteractionBody,
    response: interactionDto,
  },
  'DELETE /interactions/:id': { params: activityIdParams, response: deletedResponse, status: 204 },
  'GET /customers/:code/feedback': {
    params: customerCodeParams,
    querystring: activityPagingQuery,
    response: feedbackPageDto,
  },
  'POST /customers/:code/feedback': {
    params: customerCodeParams,
    body: createFeedbackBody,
    response: feedbackDto,
    status: 201,
  },
  'PATCH /feedback/:id': { params: activityIdParams, body: updateFeedbackBody, response: feedbackDto },
  'DELETE /feedback/:id': { params: activityIdParams, response: deletedResponse, status: 204 },
  'GET /customers/:code/privacy-export': { params: customerCodeParams, response: privacyExportDto },
  'POST /customers/:code/erase': { params: customerCodeParams, response: erasureDto },

  // classification, schemes, dashboard, rules
  'POST /classification/runs': { body: runBody, response: runResultDto },
  'GET /classification/runs': { querystring: runListQuery, response: runListDto },
  'GET /classification/runs/:id': { params: runIdParams, response: runDto },
  'GET /classification/distribution': { querystring: distributionQuery, response: distributionListDto },
  'GET /customers/:code/classes': { params: customerClassesParams, response: customerClassesDto },
  'GET /schemes': { response: schemeListDto },
  'POST /schemes': { body: definitionBody, response: schemeDto, status: 201 },
  'GET /schemes/:key': { params: schemeKeyParams, response: schemeDto },
  'GET /schemes/:key/versions': { params: schemeKeyParams, response: schemeVersionsDto },
  'GET /schemes/:key/draft': { params: schemeKeyParams, response: schemeDraftDto },
  'PUT /schemes/:key/draft': { params: schemeKeyParams, body: definitionBody, response: schemeDraftDto },
  'DELETE /schemes/:key/draft': { params: schemeKeyParams, response: draftDiscardedDto },
  'POST /schemes/:key/preview': { params: schemeKeyParams, body: previewBody, response: previewDto },
  'POST /schemes/:key/publish': { params: schemeKeyParams, body: publishBody, response: schemeDto },
  'GET /dashboard': { querystring: dashboardQuery, response: dashboardDto },
  'GET /rules/fields': { response: ruleFieldsDto },
  'POST /rules/check': { body: ruleCheckBody, response: ruleCheckDto },

  // the import wizard (the upload itself is multipart: its body has no JSON schema)
  'POST /imports': { response: uploadDto, status: 201 },
  'GET /imports/history': { querystring: historyQuery, response: historyListDto },
  'GET /imports/:id': { params: uploadParams, response: uploadDto },
  'DELETE /imports/:id': { params: uploadParams, response: uploadDiscardedDto },
  'POST /imports/:id/dry-run': { params: uploadParams, body: runOptionsBody, response: reportDto },
  'POST /imports/:id/commit': {
    params: uploadParams,
    body: runOptionsBody,
    response: commitAcceptedDto,
    status: 202,
  },
  'GET /imports/jobs/:jobId': { params: jobParams, response: jobDto },
} as const;

export type Endpoints = typeof ENDPOINTS;
