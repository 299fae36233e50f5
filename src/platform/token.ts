/** Token providers that need no login flow (the PKCE one is pkce.ts). */
import type { TokenProvider } from './transport.js';

/** A TokenProvider for a fixed token (scripts, tests). It cannot refresh. */
export function staticToken(token: string): TokenProvider {
  return { getAccessToken: () => token };
}
