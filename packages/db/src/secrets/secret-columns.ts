/** Every column holding an encrypted secret; the name is bound into each ciphertext (AAD). */
export const SECRET_COLUMNS = [
  'instances.evolution_token',
  'instances.webhook_jwt_key',
  'webhook_endpoints.secret',
  'webhook_endpoints.previous_secret',
] as const;
export type SecretColumn = (typeof SECRET_COLUMNS)[number];
