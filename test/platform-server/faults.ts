/**
 * On-demand fault injection for the test/dev platform server. Each fault is consumed by the next
 * matching request(s); `times` says how many.
 */

export type FaultRoute = 'api' | 'token' | 'authorize' | 'any';

export type FaultKind =
  /** Wait `ms` before handling the request normally. */
  | { kind: 'latency'; ms: number }
  /** Answer `status` (default 500) with a Spring-style error body. */
  | { kind: 'status'; status?: number; message?: string }
  /** 429 with `Retry-After: retryAfterSec`. */
  | { kind: 'rateLimit'; retryAfterSec: number }
  /** Destroy the socket without answering. */
  | { kind: 'drop' }
  /** 401 as for an expired access token, whatever token was sent. */
  | { kind: 'expiredToken' }
  /** 200 with a truncated JSON body. */
  | { kind: 'malformedJson' }
  /** 200 with well-formed JSON that breaks the contract (`body` as given). */
  | { kind: 'badBody'; body: unknown }
  /** /authorize redirects back with `error=access_denied`. */
  | { kind: 'deny' };

export interface FaultMatch {
  /** Which group of routes (default `api`: /v1/... and /face-recognition-sdk/...). */
  route?: FaultRoute;
  method?: string;
  /** Exact path or a pattern. */
  path?: string | RegExp;
}

export type Fault = FaultKind & FaultMatch & { times?: number };

interface Armed {
  fault: Fault;
  left: number;
}

export class Faults {
  private armed: Armed[] = [];
  /** How many faults were served, per kind (tests assert a fault was actually hit). */
  readonly served: Record<string, number> = {};

  /** Arm a fault; it fires on the next `times` (default 1) matching requests. */
  inject(fault: Fault): void {
    this.armed.push({ fault, left: fault.times ?? 1 });
  }

  latency(ms: number, m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'latency', ms, ...m });
  }
  error(status = 500, m: FaultMatch & { times?: number; message?: string } = {}): void {
    this.inject({ kind: 'status', status, ...m });
  }
  rateLimit(retryAfterSec: number, m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'rateLimit', retryAfterSec, ...m });
  }
  drop(m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'drop', ...m });
  }
  expiredToken(m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'expiredToken', ...m });
  }
  malformedJson(m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'malformedJson', ...m });
  }
  badBody(body: unknown, m: FaultMatch & { times?: number } = {}): void {
    this.inject({ kind: 'badBody', body, ...m });
  }
  deny(times = 1): void {
    this.inject({ kind: 'deny', route: 'authorize', times });
  }
  clear(): void {
    this.armed = [];
    for (const k of Object.keys(this.served)) delete this.served[k];
  }
  get pending(): number {
    return this.armed.reduce((n, a) => n + a.left, 0);
  }

  /** Take the first armed fault matching this request, if any. */
  take(route: Exclude<FaultRoute, 'any'>, method: string, path: string): FaultKind | undefined {
    const i = this.armed.findIndex(({ fault: f }) => {
      const r = f.route ?? 'api';
      if (r !== 'any' && r !== route) return false;
      if (f.method && f.method.toUpperCase() !== method) return false;
      if (f.path !== undefined && !(typeof f.path === 'string' ? f.path === path : f.path.test(path))) return false;
      return true;
    });
    if (i < 0) return undefined;
    const a = this.armed[i]!;
    a.left -= 1;
    if (a.left <= 0) this.armed.splice(i, 1);
    this.served[a.fault.kind] = (this.served[a.fault.kind] ?? 0) + 1;
    return a.fault;
  }
}
