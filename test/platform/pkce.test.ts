// @vitest-environment node
/** The PKCE helper in Node against the server acting as OIDC provider (the browser run is in browser.test.ts). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPkceAuth, memoryStorage, type KeyValueStorage, type PkceAuth, type PkceAuthOptions } from '../../src/platform/index.js';
import { harness, rejection, type Harness } from './support.js';

let h: Harness;
const REDIRECT = 'http://127.0.0.1:5173/callback';

beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.reset());

function makeAuth(extra: Partial<PkceAuthOptions> = {}): { auth: PkceAuth; storage: KeyValueStorage } {
  const storage = extra.storage ?? memoryStorage();
  return { auth: createPkceAuth({ issuer: h.server.url, clientId: 'node-test', redirectUri: REDIRECT, storage, ...extra }), storage };
}

/** Play the browser: follow /authorize to the redirect without following it further. */
async function authorize(url: URL | string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function loggedIn(extra: Partial<PkceAuthOptions> = {}): Promise<PkceAuth> {
  const { auth } = makeAuth(extra);
  await auth.handleRedirect(await authorize(await auth.authorizationUrl()));
  return auth;
}

describe('authorization code + PKCE', () => {
  it('discovers the provider, builds an S256 request, exchanges the code, and calls the API', async () => {
    const { auth, storage } = makeAuth();
    const url = await auth.authorizationUrl({ returnTo: '/scans?x=1' });
    expect(url.origin + url.pathname).toBe(`${h.server.url}/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('client_id')).toBe('node-test');
    expect(await storage.getItem('platform-auth:pending')).toContain('verifier');

    const location = await authorize(url);
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(auth.isRedirect(location)).toBe(true);
    const out = await auth.handleRedirect(location);
    expect(out?.returnTo).toBe('/scans?x=1');
    expect(out?.tokens).toMatchObject({ tokenType: 'bearer', accessToken: expect.stringMatching(/^ey/), refreshToken: expect.any(String), idToken: expect.any(String) });
    expect(out?.tokens.claims).toMatchObject({ sub: h.server.oidc.userId, iss: h.server.url, aud: 'node-test' });
    expect(out?.tokens.expiresAt).toBeGreaterThan(Date.now());
    expect(await storage.getItem('platform-auth:pending')).toBeNull();
    expect(h.server.oidc.grants.authorization_code).toBeGreaterThan(0);

    const api = h.client({ auth });
    const id = randomUUID();
    expect(await api.updateScan(id, { compareSimilarity: 0.5 })).toMatchObject({ id, createdById: h.server.oidc.userId });
  });

  it('returns null for a URL that is not an authorization response', async () => {
    const { auth } = makeAuth();
    expect(auth.isRedirect(`${REDIRECT}?tab=2`)).toBe(false);
    expect(await auth.handleRedirect(`${REDIRECT}?tab=2`)).toBeNull();
  });

  it('login() hands the authorization URL to navigate', async () => {
    const urls: string[] = [];
    const { auth } = makeAuth({ navigate: (u) => void urls.push(u) });
    await auth.login();
    expect(urls).toHaveLength(1);
    expect(urls[0]).toContain('/authorize?');
  });

  it('AUTH error for an access_denied redirect', async () => {
    const { auth } = makeAuth();
    h.server.faults.deny();
    const e = await rejection(auth.handleRedirect(await authorize(await auth.authorizationUrl())));
    expect(e).toMatchObject({ code: 'AUTH', serverCode: 'access_denied', serverMessage: 'The user denied the request' });
  });

  it('AUTH error for a state mismatch (and the code is not exchanged)', async () => {
    const { auth } = makeAuth();
    const location = new URL(await authorize(await auth.authorizationUrl()));
    location.searchParams.set('state', 'forged');
    const before = h.server.oidc.grants.authorization_code;
    const e = await rejection(auth.handleRedirect(location));
    expect(e).toMatchObject({ code: 'AUTH' });
    expect((e as Error).message).toMatch(/state/);
    expect(h.server.oidc.grants.authorization_code).toBe(before);
  });

  it('AUTH error for a redirect without a pending login (replayed URL)', async () => {
    const { auth } = makeAuth();
    const location = await authorize(await auth.authorizationUrl());
    await auth.handleRedirect(location);
    expect(await rejection(auth.handleRedirect(location))).toMatchObject({ code: 'AUTH' });
  });

  it('AUTH error when discovery names another issuer', async () => {
    const { auth } = makeAuth({ issuer: h.server.url.replace('127.0.0.1', 'localhost') });
    const e = await rejection(auth.authorizationUrl());
    expect(e).toMatchObject({ code: 'AUTH' });
    expect((e as Error).message).toMatch(/discovery/);
  });

  it('refuses an http issuer that is not loopback unless allowed', async () => {
    let calls = 0;
    const fetch = (): Promise<Response> => {
      calls += 1;
      return Promise.reject(new Error('no network in tests'));
    };
    const { auth } = makeAuth({ issuer: 'http://platform.example', fetch });
    const e = await rejection(auth.authorizationUrl());
    expect(e).toMatchObject({ code: 'AUTH' });
    expect(calls).toBe(0); // refused before any request
    const allowed = makeAuth({ issuer: 'http://platform.example', fetch, allowInsecureRequests: true }).auth;
    expect(await rejection(allowed.authorizationUrl())).toMatchObject({ code: 'AUTH' });
    expect(calls).toBe(1);
  });
});

describe('tokens and refresh', () => {
  it('serves the stored token, refreshes with forceRefresh (rotating the refresh token), once for concurrent callers', async () => {
    const auth = await loggedIn();
    const t1 = await auth.getAccessToken();
    expect(await auth.getAccessToken()).toBe(t1);
    const before = (await auth.getTokens())!;
    const [a, b] = await Promise.all([auth.getAccessToken({ forceRefresh: true }), auth.getAccessToken({ forceRefresh: true })]);
    expect(a).toBe(b);
    expect(a).not.toBe(t1);
    expect(h.server.oidc.grants.refresh_token).toBe(1);
    const after = (await auth.getTokens())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.claims).toEqual(before.claims);
  });

  it('refreshes by itself when the access token is about to expire', async () => {
    let clock = Date.now();
    const auth = await loggedIn({ now: () => clock });
    const t1 = await auth.getAccessToken();
    clock += 280_000; // TTL 300 s, margin 30 s
    const t2 = await auth.getAccessToken();
    expect(t2).not.toBe(t1);
    expect(h.server.oidc.grants.refresh_token).toBe(1);
  });

  it('the client refreshes through the helper after a 401', async () => {
    const auth = await loggedIn();
    const api = h.client({ auth });
    h.server.faults.expiredToken({ method: 'GET' });
    const page = await api.listScansPage();
    expect(page.items).toEqual([]);
    expect(h.server.oidc.grants.refresh_token).toBe(1);
  });

  it('UNAUTHORIZED (and the tokens are forgotten) when the provider refuses the refresh', async () => {
    const auth = await loggedIn();
    h.server.oidc.revokeRefreshTokens();
    h.server.faults.expiredToken({ method: 'GET' });
    const e = await rejection(h.client({ auth }).listScansPage());
    expect(e).toMatchObject({ code: 'UNAUTHORIZED', serverCode: 'invalid_grant', status: 400 });
    expect(await auth.getTokens()).toBeNull();
    expect(await auth.getAccessToken()).toBeUndefined();
  });

  it('UNAUTHORIZED for a 401 after logout (no token to send, none to refresh)', async () => {
    const auth = await loggedIn();
    await auth.logout();
    expect(await rejection(h.client({ auth }).listScansPage())).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('refresh() without a refresh token is UNAUTHORIZED', async () => {
    const { auth } = makeAuth();
    expect(await rejection(auth.refresh())).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
