/**
 * Raised at connect time when a webhook host resolves to an address that is not publicly routable
 * (loopback, private, link-local…): the URL passed its check at registration, but DNS now answers
 * differently (rebinding) or the rules were relaxed then.
 */
export class RestrictedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_RESTRICTED_ADDRESS';

  constructor(reason: string) {
    super(`Refused to connect: ${reason}`);
    this.name = 'RestrictedAddressError';
  }
}
