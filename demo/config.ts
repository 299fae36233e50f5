/**
 * Page configuration, so a kiosk can be set up by URL alone:
 *   /demo/?kiosk&channel=MOBILE&reference=desk-3&platform=https://api.example.com&token=…
 * The query wins over what was saved; the platform URL is kept in localStorage, the token only in
 * sessionStorage (it is removed from the address bar once read). See docs/demo.md.
 */
import { CHANNELS, type CompareOptions } from 'face-compare-sdk';

type Channel = NonNullable<CompareOptions['channel']>;

export interface DemoConfig {
  channel: Channel;
  reference: string;
  /** Base URL of the platform API; empty = scans stay on the page. */
  platformUrl: string;
  /** Bearer access token for the platform. */
  token: string;
  /** Kiosk mode: settings hidden, technical details collapsed, compare starts once both faces are in. */
  kiosk: boolean;
  /**
   * Liveness (`?liveness=`): 'show' (default) marks live / print on the camera and on photos;
   * 'require' also lets face 2 be captured only once several consecutive frames are live, and
   * compares with the SDK's check on face 2; 'off' never loads the liveness model.
   */
  liveness: LivenessMode;
  /** Sync timing from the URL only (`sync-backoff-ms`, `sync-poll-ms`): for tests, not remembered. */
  sync?: { backoffMs?: number; pollMs?: number };
}

const KEY = 'face-compare-demo';

export const LIVENESS_MODES = ['off', 'show', 'require'] as const;
export type LivenessMode = (typeof LIVENESS_MODES)[number];

export function readConfig(url: URL = new URL(location.href)): DemoConfig {
  const saved = safeJson(storage('local')?.getItem(`${KEY}:settings`) ?? null);
  const q = url.searchParams;
  const channel = q.get('channel') ?? saved.channel;
  return {
    channel: (CHANNELS as readonly string[]).includes(channel ?? '') ? (channel as Channel) : 'WEB',
    reference: q.get('reference') ?? saved.reference ?? 'demo',
    platformUrl: q.get('platform') ?? saved.platformUrl ?? '',
    token: q.get('token') ?? storage('session')?.getItem(`${KEY}:token`) ?? '',
    kiosk: q.has('kiosk') && q.get('kiosk') !== '0',
    liveness: (LIVENESS_MODES as readonly string[]).includes(q.get('liveness') ?? '') ? (q.get('liveness') as LivenessMode) : 'show',
    sync: { backoffMs: positive(q.get('sync-backoff-ms')), pollMs: positive(q.get('sync-poll-ms')) },
  };
}

/** Remembers the settings on this device (the token only for this tab's session). */
export function saveConfig(c: DemoConfig): void {
  try {
    storage('local')?.setItem(`${KEY}:settings`, JSON.stringify({ channel: c.channel, reference: c.reference, platformUrl: c.platformUrl }));
    if (c.token) storage('session')?.setItem(`${KEY}:token`, c.token);
    else storage('session')?.removeItem(`${KEY}:token`);
  } catch {
    // Storage full or refused: the settings just are not remembered.
  }
}

/** Web storage, or undefined where it is blocked (sandboxed iframes, some privacy modes throw on access). */
function storage(kind: 'local' | 'session'): Storage | undefined {
  try {
    return kind === 'local' ? localStorage : sessionStorage;
  } catch {
    return undefined;
  }
}

/** Drops the token from the address bar, so it is not bookmarked or shown. */
export function scrubTokenFromUrl(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url);
}

function positive(v: string | null): number | undefined {
  const n = Number(v);
  return v !== null && Number.isFinite(n) && n > 0 ? n : undefined;
}

function safeJson(text: string | null): Partial<Record<'channel' | 'reference' | 'platformUrl', string>> {
  try {
    const v = JSON.parse(text ?? '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
