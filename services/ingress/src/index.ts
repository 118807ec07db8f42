export { createApp, type IngressAppOptions } from './app';
export { createIngressUseCases, type IngressStores, type IngressUseCases } from './ingress-use-cases';
export { ingressVariablesSchema, loadIngressConfig, type IngressConfig } from './config';
export { INVALID_KEY_DETAIL } from './auth/api-key-authenticator';
export {
  HTTP_ERROR_CODES,
  PROBLEM_TYPES,
  problemTypeUri,
  type HttpErrorCode,
  type ProblemCode,
  type ProblemType,
} from './http/problem-types';
export { PROBLEM_CONTENT_TYPE } from './http/error-response';
// The accept path's per-item validation, for `npm run bench:items`.
export { validate } from './http/validate';
export { notificationBodySchema } from './notifications/notification-body.schema';
export { notificationContent } from './notifications/notification-content';
