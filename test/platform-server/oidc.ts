/**
 * The OpenID Connect provider half of the test/dev platform server: discovery, an auto-approving
 * /authorize, /token (authorization_code with PKCE S256, refresh_token) and /jwks. Tokens are JWTs
 * signed with a per-process ES256 key through `jose`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { HttpError } from './http-util.js';

export const API_AUDIENCE = 'face-recognition-api';
const ALG = 'ES256';

export interface OidcOptions {
  /** Access token lifetime, seconds. Default 300. */
  accessTokenTtlSec?: number;
}

export interface IssueTokenOptions {
  /** Subject (user id). Default the server's dev user. */
  sub?: string;
  clientId?: string;
  scope?: string;
  /** Lifetime in seconds; negative gives an already expired token. Default the server's TTL. */
  expiresInSec?: number;
}

/** A 400 from /token in RFC 6749 §5.2 form. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
  sub: string;
  authTime: number;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  scope: string;
  sub: string;
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.hash === '';
  } catch {
    return false;
  }
}

export class OidcProvider {
  readonly userId = randomUUID();
  readonly companyId = randomUUID();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly ttl: number;
  /** Counters for tests: how many grants of each type were served. */
  readonly grants = { authorization_code: 0, refresh_token: 0 };

  private constructor(
    readonly issuer: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
    opts: OidcOptions,
  ) {
    this.ttl = opts.accessTokenTtlSec ?? 300;
  }

  static async create(issuer: string, opts: OidcOptions = {}): Promise<OidcProvider> {
    const { privateKey, publicKey } = await generateKeyPair(ALG);
    const jwk = await exportJWK(publicKey);
    return new OidcProvider(issuer, privateKey, publicKey, { ...jwk, kid: randomUUID(), alg: ALG, use: 'sig' }, opts);
  }

  discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      jwks_uri: `${this.issuer}/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issueAccessToken(o: IssueTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: o.scope ?? 'openid', client_id: o.clientId ?? 'dev', company_id: this.companyId })
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid!, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(API_AUDIENCE)
      .setSubject(o.sub ?? this.userId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + (o.expiresInSec ?? this.ttl))
      .sign(this.privateKey);
  }

  /** Verify `Authorization: Bearer …`; throws a 401 HttpError with a WWW-Authenticate challenge. */
  async verifyBearer(header: string | undefined): Promise<JWTPayload> {
    const challenge = (error: string, description: string): Record<string, string> => ({
      'www-authenticate': `Bearer realm="platform", error="${error}", error_description="${description}"`,
    });
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) throw new HttpError(401, 'Full authentication is required to access this resource', { 'www-authenticate': 'Bearer realm="platform"' });
    try {
      const { payload } = await jwtVerify(m[1]!, this.publicKey, { issuer: this.issuer, audience: API_AUDIENCE, algorithms: [ALG], typ: 'at+jwt' });
      return payload;
    } catch (e) {
      const description = e instanceof joseErrors.JWTExpired ? 'Jwt expired' : 'Invalid access token';
      throw new HttpError(401, description, challenge('invalid_token', description));
    }
  }

  /** /authorize: validate, auto-approve, and return the redirect location. */
  authorize(q: URLSearchParams, deny: boolean): string {
    const redirectUri = q.get('redirect_uri') ?? '';
    const clientId = q.get('client_id') ?? '';
    if (!clientId) throw new HttpError(400, 'client_id is required');
    // Never redirect to an unchecked URI: only loopback redirects are accepted by this dev provider.
    if (!isLoopbackRedirect(redirectUri)) throw new HttpError(400, 'redirect_uri must be an http(s) loopback URI');
    const back = new URL(redirectUri);
    const state = q.get('state');
    const reply = (params: Record<string, string>): string => {
      for (const [k, v] of Object.entries(params)) back.searchParams.set(k, v);
      if (state !== null) back.searchParams.set('state', state);
      back.searchParams.set('iss', this.issuer);
      return back.href;
    };
    if (q.get('response_type') !== 'code') return reply({ error: 'unsupported_response_type', error_description: 'only response_type=code' });
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') {
      return reply({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' });
    }
    if (deny) return reply({ error: 'access_denied', error_description: 'The user denied the request' });
    const code = randomUUID();
    this.codes.set(code, {
      clientId,
      redirectUri,
      challenge,
      nonce: q.get('nonce') ?? undefined,
      scope: q.get('scope') ?? 'openid',
      sub: this.userId,
      authTime: Math.floor(Date.now() / 1000),
      expiresAt: Date.now() + 60_000,
    });
    return reply({ code });
  }

  /** /token: returns the JSON body of a successful response or throws OAuthError. */
  async token(form: URLSearchParams): Promise<Record<string, unknown>> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.codeGrant(form);
    if (grantType === 'refresh_token') return this.refreshGrant(form);
    throw new OAuthError('unsupported_grant_type', `grant_type ${grantType ?? '(none)'} is not supported`);
  }

  /** Invalidate every refresh token (tests: "the session was revoked"). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  private async codeGrant(form: URLSearchParams): Promise<Record<string, unknown>> {
    const code = form.get('code') ?? '';
    const grant = this.codes.get(code);
    this.codes.delete(code); // single use, even when the exchange fails
    if (!grant || grant.expiresAt < Date.now()) throw new OAuthError('invalid_grant', 'authorization code is invalid or expired');
    if (form.get('client_id') !== grant.clientId) throw new OAuthError('invalid_grant', 'client_id does not match the authorization request');
    if (form.get('redirect_uri') !== grant.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier is missing or malformed');
    const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (expected !== grant.challenge) throw new OAuthError('invalid_grant', 'PKCE verification failed');
    this.grants.authorization_code += 1;

    const now = Math.floor(Date.now() / 1000);
    const idClaims: JWTPayload = { auth_time: grant.authTime };
    if (grant.nonce !== undefined) idClaims.nonce = grant.nonce;
    const idToken = await new SignJWT(idClaims)
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid! })
      .setIssuer(this.issuer)
      .setAudience(grant.clientId)
      .setSubject(grant.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(this.privateKey);
    return { ...(await this.tokens(grant)), id_token: idToken };
  }

  private async refreshGrant(form: URLSearchParams): Promise<Record<string, unknown>> {
    const token = form.get('refresh_token') ?? '';
    const grant = this.refreshTokens.get(token);
    if (!grant) throw new OAuthError('invalid_grant', 'refresh token is invalid, expired or revoked');
    if (form.get('client_id') !== grant.clientId) throw new OAuthError('invalid_grant', 'refresh token was issued to another client');
    this.refreshTokens.delete(token); // rotation
    this.grants.refresh_token += 1;
    return this.tokens(grant);
  }

  private async tokens(g: { clientId: string; scope: string; sub: string }): Promise<Record<string, unknown>> {
    const refreshToken = randomUUID();
    this.refreshTokens.set(refreshToken, { clientId: g.clientId, scope: g.scope, sub: g.sub });
    return {
      access_token: await this.issueAccessToken({ sub: g.sub, clientId: g.clientId, scope: g.scope }),
      token_type: 'Bearer',
      expires_in: this.ttl,
      refresh_token: refreshToken,
      scope: g.scope,
    };
  }
}
