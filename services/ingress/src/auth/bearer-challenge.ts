/** What a 401 asks for when nothing more precise applies (RFC 6750 §3). */
export const BEARER_CHALLENGE = 'Bearer realm="telenexus"';

const PRESENTS_BEARER_TOKEN = /^Bearer[ \t]+\S/i;

/**
 * The `WWW-Authenticate` challenge for a refused API key: `error="invalid_token"` when a Bearer
 * token was presented and refused; none when the request carried no Bearer token at all, as RFC 6750
 * asks of a request that did not know authentication was needed.
 */
export function bearerChallenge(authorization: string | undefined): string {
  return authorization && PRESENTS_BEARER_TOKEN.test(authorization)
    ? `${BEARER_CHALLENGE}, error="invalid_token"`
    : BEARER_CHALLENGE;
}
