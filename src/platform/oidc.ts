/**
 * The OpenID provider side of the PKCE login: discovery (once, tried again after a failure), the
 * HTTP options every oauth4webapi request takes, token responses as TokenSets, failures as
 * PlatformErrors. The browser flow that keeps state is pkce.ts.
 */
import * as oauth from 'oauth4webapi';
import { PlatformError } from './errors.js';
import type { FetchLike } from './transport.js';

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  scope?: string;
  /** Validated ID token claims (sub, …) from the code exchange. */
  claims?: Record<string, unknown>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface OidcProviderOptions {
  issuer: string;
  clientId: string;
  fetch?: FetchLike;
  /** Allow an `http:` issuer. Default: only for loopback hosts. */
  allowInsecureRequests?: boolean;
}

export function oidcProvider(o: OidcProviderOptions) {
  const issuer = new URL(o.issuer);
  const insecure = o.allowInsecureRequests ?? (issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname));
  type CustomFetch<M, B> = NonNullable<oauth.HttpRequestOptions<M, B>[typeof oauth.customFetch]>;
  /** Options of one request: the caller's fetch, insecure loopback, its signal. */
  const http = <M, B>(signal?: AbortSignal): oauth.HttpRequestOptions<M, B> => {
    const h: oauth.HttpRequestOptions<M, B> = {};
    // oauth4webapi calls it with (url, { method, headers, body, redirect, signal }): a RequestInit.
    if (o.fetch) h[oauth.customFetch] = o.fetch as unknown as CustomFetch<M, B>;
    if (insecure) h[oauth.allowInsecureRequests] = true;
    if (signal) h.signal = signal;
    return h;
  };
  let asPromise: Promise<oauth.AuthorizationServer> | undefined;
  return {
    client: { client_id: o.clientId } as oauth.Client,
    clientAuth: oauth.None(),
    http,
    discover(): Promise<oauth.AuthorizationServer> {
      asPromise ??= (async () => {
        const res = await oauth.discoveryRequest(issuer, { ...http<'GET', undefined>(), algorithm: 'oidc' });
        return oauth.processDiscoveryResponse(issuer, res);
      })().catch((e: unknown) => {
        asPromise = undefined; // let the next call try again
        throw authError('OpenID Connect discovery failed', e);
      });
      return asPromise;
    },
  };
}

/** A token endpoint response as a TokenSet; a refresh keeps what the response leaves out. */
export function toTokenSet(r: oauth.TokenEndpointResponse, now: number, previous?: TokenSet | null): TokenSet {
  const t: TokenSet = { accessToken: r.access_token, tokenType: r.token_type };
  const refreshToken = r.refresh_token ?? previous?.refreshToken;
  if (refreshToken !== undefined) t.refreshToken = refreshToken;
  const idToken = r.id_token ?? previous?.idToken;
  if (idToken !== undefined) t.idToken = idToken;
  if (r.expires_in !== undefined) t.expiresAt = now + r.expires_in * 1000;
  if (r.scope !== undefined) t.scope = r.scope;
  const claims = oauth.getValidatedIdTokenClaims(r) ?? previous?.claims;
  if (claims !== undefined) t.claims = { ...claims };
  return t;
}

export function authError(what: string, e: unknown): PlatformError {
  if (e instanceof PlatformError) return e;
  if (e instanceof oauth.AuthorizationResponseError || e instanceof oauth.ResponseBodyError) {
    return new PlatformError('AUTH', `${what}: ${e.error}${e.error_description ? ` — ${e.error_description}` : ''}`, {
      serverCode: e.error,
      ...(e.error_description !== undefined ? { serverMessage: e.error_description } : {}),
      ...(e instanceof oauth.ResponseBodyError ? { status: e.status } : {}),
      cause: e,
    });
  }
  if (e instanceof TypeError && !(e as { code?: unknown }).code) {
    return new PlatformError('NETWORK', `${what}: ${e.message}`, { cause: e });
  }
  return new PlatformError('AUTH', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
