export { createApp, type IngressDependencies } from './app';
export { ingressVariablesSchema, loadIngressConfig, type IngressConfig } from './config';
export { INVALID_KEY_DETAIL } from './auth/api-key-authenticator';
