// @vitest-environment node
/** The test/dev platform server itself: OIDC provider checks, auth, CORS, multipart, CLI. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../platform-server/platform-server.js';

let s: PlatformServer;
const REDIRECT = 'http://127.0.0.1:4000/cb';
const VERIFIER = 'v'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

beforeAll(async () => {
  s = await startPlatformServer({ port: 0 });
});
afterAll(async () => {
  await s.close();
});
beforeEach(() => s.faults.clear());

async function code(params: Record<string, string> = {}): Promise<URL> {
  const q = new URLSearchParams({
    client_id: 'c1',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid',
    state: 'st',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...params,
  });
  const res = await fetch(`${s.url}/authorize?${q}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

function token(form: Record<string, string>): Promise<Response> {
  return fetch(`${s.url}/token`, { method: 'POST', body: new URLSearchParams(form) });
}

describe('OIDC provider', () => {
  it('listens on 127.0.0.1 and publishes discovery matching its URL', async () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const d = (await (await fetch(`${s.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(d).toMatchObject({ issuer: s.url, token_endpoint: `${s.url}/token`, code_challenge_methods_supported: ['S256'] });
  });

  it('issues JWTs that verify against /jwks', async () => {
    const jwks = createRemoteJWKSet(new URL(`${s.url}/jwks`));
    const { payload } = await jwtVerify(await s.issueToken({ sub: 'u1' }), jwks, { issuer: s.url, audience: 'face-recognition-api' });
    expect(payload.sub).toBe('u1');
  });

  it('verifies PKCE: a wrong verifier is invalid_grant, the code is single use', async () => {
    const c = (await code()).searchParams.get('code')!;
    const bad = await token({ grant_type: 'authorization_code', code: c, client_id: 'c1', redirect_uri: REDIRECT, code_verifier: 'w'.repeat(43) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
    const replay = await token({ grant_type: 'authorization_code', code: c, client_id: 'c1', redirect_uri: REDIRECT, code_verifier: VERIFIER });
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');

    const c2 = (await code()).searchParams.get('code')!;
    const ok = await token({ grant_type: 'authorization_code', code: c2, client_id: 'c1', redirect_uri: REDIRECT, code_verifier: VERIFIER });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300, id_token: expect.any(String), refresh_token: expect.any(String) });
  });

  it('checks client_id and redirect_uri at the token endpoint', async () => {
    const c = (await code()).searchParams.get('code')!;
    const res = await token({ grant_type: 'authorization_code', code: c, client_id: 'c1', redirect_uri: `${REDIRECT}2`, code_verifier: VERIFIER });
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') });
    expect(((await (await token({ grant_type: 'password' })).json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('requires PKCE S256 and only redirects to loopback URIs', async () => {
    const noPkce = await code({ code_challenge_method: 'plain' });
    expect(noPkce.searchParams.get('error')).toBe('invalid_request');
    expect(noPkce.searchParams.get('state')).toBe('st');
    expect(noPkce.searchParams.get('iss')).toBe(s.url);
    const res = await fetch(`${s.url}/authorize?client_id=c1&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('API', () => {
  it('answers 401 with a Bearer challenge without a token, and CORS preflights', async () => {
    const res = await fetch(`${s.url}/v1/face-recognition`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const pre = await fetch(`${s.url}/v1/face-recognition`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('rejects a token signed by another server', async () => {
    const other = await startPlatformServer();
    try {
      const foreign = await other.issueToken();
      const res = await fetch(`${s.url}/v1/face-recognition`, { headers: { authorization: `Bearer ${foreign}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    } finally {
      await other.close();
    }
  });

  it('compare_face validates the multipart fields and is deterministic in the upload sizes', async () => {
    const auth = { authorization: `Bearer ${await s.issueToken()}` };
    const post = (fields: Record<string, string | Blob>): Promise<Response> => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      return fetch(`${s.url}/face-recognition-sdk/v1/compare_face`, { method: 'POST', headers: auth, body: f });
    };
    const a = new Blob([new Uint8Array(1234)]);
    const b = new Blob([new Uint8Array(999)]);
    const r1 = (await (await post({ channel: 'WEB', reference: 'r', file1: a, file2: b })).json()) as Record<string, unknown>;
    const r2 = (await (await post({ channel: 'WEB', reference: 'r', file1: a, file2: b })).json()) as Record<string, unknown>;
    expect(r1.compare_similarity).toBe(r2.compare_similarity);
    expect(r1.face1).toEqual(r2.face1);
    expect(r1.id).not.toBe(r2.id);
    expect(r1.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const missing = await post({ channel: 'WEB', reference: 'r', file1: a });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toBe('file2 is required (a non-empty file)');
    const json = await fetch(`${s.url}/face-recognition-sdk/v1/compare_face`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
  });

  it('rejects an unknown sort property like Spring does', async () => {
    const res = await fetch(`${s.url}/v1/face-recognition?sort=password,asc`, { headers: { authorization: `Bearer ${await s.issueToken()}` } });
    expect(res.status).toBe(400);
  });
});

describe('CLI (npm run platform)', () => {
  it('starts, prints its URL and a dev token that works, and stops on SIGTERM', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(process.execPath, [`${root}node_modules/tsx/dist/cli.mjs`, 'test/platform-server/platform-server.ts', '--port', '0', '--seed', '3'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/dev token .*\n/.test(out)) resolve();
        });
        child.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const tok = /dev token \(12 h\) (\S+)/.exec(out)![1]!;
      const page = (await (await fetch(`${url}/v1/face-recognition`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { totalElements: number };
      expect(page.totalElements).toBe(3);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 20_000);
});
