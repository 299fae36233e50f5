/**
 * OAuth2 authorization-code + PKCE (S256) for browsers, with OpenID Connect discovery, redirect
 * handling and token refresh. All protocol work is done by `oauth4webapi`; this module only keeps
 * state (in the storage the caller chooses) and maps failures to PlatformError.
 */
import * as oauth from 'oauth4webapi';
import { PlatformError } from './errors.js';
import { authError, oidcProvider, toTokenSet, type TokenSet } from './oidc.js';
import { defaultStorage, readJson, writeJson, type KeyValueStorage } from './storage.js';
import type { FetchLike, TokenProvider } from './transport.js';

export type { TokenSet } from './oidc.js';

export interface PkceAuthOptions {
  /** OIDC issuer; discovery is read from `{issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Where the provider sends the browser back; the page there calls {@link PkceAuth.handleRedirect}. */
  redirectUri: string;
  /** Default `openid`. */
  scope?: string;
  /** Default `sessionStorage` in a window, memory elsewhere. Pass `localStorage` to keep a login across tabs. */
  storage?: KeyValueStorage;
  /** Key prefix in the storage. Default `platform-auth`. */
  storageKey?: string;
  fetch?: FetchLike;
  /** Allow an `http:` issuer. Default: only for loopback hosts (127.0.0.1, localhost, [::1]). */
  allowInsecureRequests?: boolean;
  /** How to send the browser to the provider. Default `location.assign`. */
  navigate?: (url: string) => void | Promise<void>;
  /** Extra authorization request parameters (audience, prompt, login_hint, …). */
  authorizationParams?: Record<string, string>;
  /** Refresh this many seconds before expiry. Default 30. */
  expiryMarginSec?: number;
  /** Clock, ms. Default Date.now. */
  now?: () => number;
}

export interface LoginOptions {
  /** Any app state to get back from handleRedirect (e.g. the page to return to). */
  returnTo?: string;
  params?: Record<string, string>;
}

export interface PkceAuth extends TokenProvider {
  /** Build the authorization URL and remember the PKCE verifier, state and nonce. */
  authorizationUrl(options?: LoginOptions): Promise<URL>;
  /** authorizationUrl() then navigate to it. */
  login(options?: LoginOptions): Promise<void>;
  /** True when `url` carries an authorization response (`code` or `error`). */
  isRedirect(url?: string | URL): boolean;
  /**
   * Complete the login on the redirect page: validates state/issuer, exchanges the code with the
   * verifier, stores the tokens. Null when `url` is not an authorization response.
   */
  handleRedirect(url?: string | URL): Promise<{ tokens: TokenSet; returnTo?: string } | null>;
  getAccessToken(options?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string | undefined>;
  getTokens(): Promise<TokenSet | null>;
  /** Use the refresh token now. Throws UNAUTHORIZED (and forgets the tokens) when the provider refuses. */
  refresh(): Promise<TokenSet>;
  /** Forget the tokens (local logout). */
  logout(): Promise<void>;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  returnTo?: string;
}

export function createPkceAuth(o: PkceAuthOptions): PkceAuth {
  const provider = oidcProvider(o);
  const { client, clientAuth, discover } = provider;
  const scope = o.scope ?? 'openid';
  const storage = o.storage ?? defaultStorage();
  const prefix = o.storageKey ?? 'platform-auth';
  const pendingKey = `${prefix}:pending`;
  const tokensKey = `${prefix}:tokens`;
  const now = o.now ?? Date.now;
  const tokens = tokenKeeper(provider, storage, tokensKey, now, (o.expiryMarginSec ?? 30) * 1000);

  async function authorizationUrl(opts: LoginOptions = {}): Promise<URL> {
    const as = await discover();
    if (!as.authorization_endpoint) throw new PlatformError('AUTH', 'the provider has no authorization_endpoint');
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const pending: Pending = { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), verifier, redirectUri: o.redirectUri };
    if (opts.returnTo !== undefined) pending.returnTo = opts.returnTo;
    await writeJson(storage, pendingKey, pending);
    const url = new URL(as.authorization_endpoint);
    const params: Record<string, string> = {
      ...o.authorizationParams,
      ...opts.params,
      client_id: o.clientId,
      redirect_uri: o.redirectUri,
      response_type: 'code',
      scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  }

  async function login(opts: LoginOptions = {}): Promise<void> {
    const url = await authorizationUrl(opts);
    const nav = o.navigate ?? ((u: string) => {
      const loc = (globalThis as { location?: { assign(u: string): void } }).location;
      if (!loc?.assign) throw new PlatformError('AUTH', 'no window to navigate: pass options.navigate');
      loc.assign(u);
    });
    await nav(url.href);
  }

  async function handleRedirect(url?: string | URL): Promise<{ tokens: TokenSet; returnTo?: string } | null> {
    const u = currentUrl(url);
    if (!isRedirect(u)) return null;
    const pending = await readJson<Pending>(storage, pendingKey);
    if (!pending) throw new PlatformError('AUTH', 'authorization response without a pending login (reloaded, or another tab?)');
    await storage.removeItem(pendingKey); // single use
    const as = await discover();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, client, u, pending.state);
    } catch (e) {
      throw authError('the authorization response was rejected', e);
    }
    let got: TokenSet;
    try {
      const res = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, pending.redirectUri, pending.verifier, provider.http());
      const r = await oauth.processAuthorizationCodeResponse(as, client, res, {
        expectedNonce: pending.nonce,
        requireIdToken: scope.split(/\s+/).includes('openid'),
      });
      got = toTokenSet(r, now());
    } catch (e) {
      throw authError('the authorization code exchange failed', e);
    }
    await writeJson(storage, tokensKey, got);
    return pending.returnTo !== undefined ? { tokens: got, returnTo: pending.returnTo } : { tokens: got };
  }

  return {
    authorizationUrl,
    login,
    isRedirect,
    handleRedirect,
    getAccessToken: tokens.getAccessToken,
    getTokens: () => readJson<TokenSet>(storage, tokensKey),
    refresh: tokens.refresh,
    logout: async () => {
      await storage.removeItem(tokensKey);
      await storage.removeItem(pendingKey);
    },
  };
}

function currentUrl(url?: string | URL): URL {
  if (url !== undefined) return new URL(url);
  const href = (globalThis as { location?: { href: string } }).location?.href;
  if (!href) throw new PlatformError('AUTH', 'no current URL: pass the redirect URL to handleRedirect');
  return new URL(href);
}

function isRedirect(url?: string | URL): boolean {
  const u = currentUrl(url);
  return u.searchParams.has('code') || u.searchParams.has('error');
}

/** The stored tokens: the access token while fresh, one refresh at a time when not. */
function tokenKeeper(provider: ReturnType<typeof oidcProvider>, storage: KeyValueStorage, tokensKey: string, now: () => number, margin: number) {
  let refreshing: Promise<TokenSet> | undefined;
  function refresh(): Promise<TokenSet> {
    refreshing ??= (async () => {
      const current = await readJson<TokenSet>(storage, tokensKey);
      if (!current?.refreshToken) throw new PlatformError('UNAUTHORIZED', 'no refresh token: log in again');
      const as = await provider.discover();
      try {
        const res = await oauth.refreshTokenGrantRequest(as, provider.client, provider.clientAuth, current.refreshToken, provider.http());
        const r = await oauth.processRefreshTokenResponse(as, provider.client, res);
        const next = toTokenSet(r, now(), current);
        await writeJson(storage, tokensKey, next);
        return next;
      } catch (e) {
        if (e instanceof oauth.ResponseBodyError) {
          await storage.removeItem(tokensKey); // the grant is dead
          throw new PlatformError('UNAUTHORIZED', `token refresh refused: ${e.error}${e.error_description ? ` — ${e.error_description}` : ''}`, {
            status: e.status,
            serverCode: e.error,
            ...(e.error_description !== undefined ? { serverMessage: e.error_description } : {}),
            cause: e,
          });
        }
        throw authError('token refresh failed', e);
      }
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function getAccessToken(opts: { forceRefresh?: boolean } = {}): Promise<string | undefined> {
    const t = await readJson<TokenSet>(storage, tokensKey);
    if (!t) return undefined;
    const expired = t.expiresAt !== undefined && t.expiresAt - margin <= now();
    if (!opts.forceRefresh && !expired) return t.accessToken;
    if (!t.refreshToken) return undefined; // nothing to refresh with: the server's 401 stands
    return (await refresh()).accessToken;
  }

  return { refresh, getAccessToken };
}
