/** Shared set-up of the platform client tests: a real server on a loopback port, fast retries. */
import { startPlatformServer, type PlatformServer, type PlatformServerOptions } from '../platform-server/platform-server.js';
import { createPlatformClient, type PlatformClient, type PlatformClientOptions, type RetryEvent, type TokenProvider } from '../../src/platform/index.js';

/** Short, deterministic backoff: 5, 10, 20 ms (random fixed at 1 → the full step). */
export const FAST_RETRY = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, random: () => 1 } as const;

/** A token provider backed by the server that counts forced refreshes. */
export function serverTokens(server: PlatformServer): TokenProvider & { refreshes: number; current: string | undefined } {
  const p = {
    refreshes: 0,
    current: undefined as string | undefined,
    async getAccessToken({ forceRefresh }: { forceRefresh: boolean }) {
      if (p.current === undefined || forceRefresh) {
        if (p.current !== undefined) p.refreshes += 1;
        p.current = await server.issueToken();
      }
      return p.current;
    },
  };
  return p;
}

export interface Harness {
  server: PlatformServer;
  tokens: ReturnType<typeof serverTokens>;
  retries: RetryEvent[];
  client(extra?: Partial<PlatformClientOptions>): PlatformClient;
  /** How many requests the server saw for `METHOD /path`. */
  count(line: string): number;
  /** Empty store, faults, request log and counters (call in beforeEach). */
  reset(): void;
}

export async function harness(options: PlatformServerOptions = {}): Promise<Harness> {
  const server = await startPlatformServer(options);
  const tokens = serverTokens(server);
  const retries: RetryEvent[] = [];
  return {
    server,
    tokens,
    retries,
    client: (extra = {}) =>
      createPlatformClient({
        baseUrl: server.url,
        auth: tokens,
        retry: FAST_RETRY,
        timeoutMs: 2_000,
        onRetry: (e) => retries.push(e),
        ...extra,
      }),
    count: (line) => server.requests.filter((r) => r === line).length,
    reset: () => {
      server.store.clear();
      server.faults.clear();
      server.requests.length = 0;
      retries.length = 0;
      tokens.refreshes = 0;
      server.oidc.grants.authorization_code = 0;
      server.oidc.grants.refresh_token = 0;
    },
  };
}

/** Await a promise that must reject; return the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, got a value');
}
