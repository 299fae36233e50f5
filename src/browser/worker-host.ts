/**
 * Keeps the recognizer's worker alive for a page that runs for days. A worker can go away without
 * a word (closed, killed by the browser under memory pressure), throw at top level, or abort inside
 * onnxruntime; a worker that is gone never answers, so every call in it would wait forever. The
 * host notices (the Web Lock the worker holds is released, an error event, an abort reported by the
 * worker, or no answer to a heartbeat for 10 s), rejects the calls in it with WORKER_CRASHED, and starts a fresh worker on the next
 * call (its models come from Cache Storage). Restarts are bounded: after `maxRestarts` in a minute,
 * calls fail with WORKER_CRASHED until `restart()`.
 */
import { FaceError, isFaceError } from '../contract/errors.js';
import type { RecognizerStatus } from '../contract/options.js';
import type { BackendInfo } from '../contract/types.js';
import { Comlink } from './rpc.js';
import type { WorkerApi } from './worker-api.js';

export interface StartedWorker {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  info: BackendInfo;
  /** The Web Lock the worker holds while it lives (absent where there are no Web Locks). */
  lifeLock?: string;
}

export interface WorkerHostOptions {
  onStatus?: (status: RecognizerStatus) => void;
  /** Restarts allowed within `windowMs` (default 3 a minute). */
  maxRestarts?: number;
  windowMs?: number;
  /**
   * Heartbeat period, and the silence after which a worker counts as hung (default 1 s, 10 s). A
   * worker that ends is known at once through its life lock; the heartbeat is for one that hangs,
   * and is lenient because a busy worker on a slow device answers late, not never.
   */
  heartbeatMs?: number;
  silenceMs?: number;
}

/** One worker's life: its calls race `gone`, which rejects when it is found dead. */
interface Generation extends StartedWorker {
  gone: Promise<never>;
  kill(reason: string): void;
  alive: boolean;
}

export interface WorkerHost {
  /** Runs `fn` on a live worker (starting one if the last died); WORKER_CRASHED if it dies meanwhile. */
  call<T>(fn: (remote: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T>;
  /** Runs `fn` on the live worker, if any, without starting one (undefined otherwise, or if it fails). */
  ifAlive<T>(fn: (remote: Comlink.Remote<WorkerApi>) => Promise<T>): Promise<T | undefined>;
  info(): BackendInfo;
  restarts(): number;
  /** A fresh worker now, and the restart budget reset. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export function createWorkerHost(first: StartedWorker, start: () => Promise<StartedWorker>, options: WorkerHostOptions = {}): WorkerHost {
  const { onStatus, maxRestarts = 3, windowMs = 60_000, heartbeatMs = 1000, silenceMs = 10_000 } = options;
  let current: Generation | undefined = watch(first);
  let starting: Promise<Generation> | undefined;
  let info = first.info;
  let restarts = 0;
  let recent: number[] = [];
  let disposed = false;
  const status = (s: RecognizerStatus) => {
    try {
      onStatus?.(s);
    } catch {
      // a failing listener must not stop the recovery
    }
  };

  function watch(s: StartedWorker): Generation {
    let reject!: (e: FaceError) => void;
    const gone = new Promise<never>((_, r) => { reject = r; });
    gone.catch(() => undefined);
    let lastAnswer = performance.now();
    const beat = setInterval(() => {
      if (performance.now() - lastAnswer > silenceMs) g.kill(`the recognizer worker stopped answering for ${Math.round(silenceMs / 1000)} s`);
      else void s.remote.ping().then(() => { lastAnswer = performance.now(); }, () => undefined);
    }, heartbeatMs);
    const onError = (ev: ErrorEvent) => {
      ev.preventDefault();
      g.kill(`the recognizer worker failed${ev.message ? `: ${ev.message}` : ''}`);
    };
    s.worker.addEventListener('error', onError);
    s.worker.addEventListener('messageerror', () => g.kill('the recognizer worker sent a message that could not be read'));
    // The worker holds a Web Lock for its whole life; ours is granted the moment it ends.
    const lifeLock = new AbortController();
    const locks = (globalThis.navigator as Navigator & { locks?: LockManager } | undefined)?.locks;
    if (locks && s.lifeLock) {
      locks.request(s.lifeLock, { signal: lifeLock.signal }, async () => g.kill('the recognizer worker ended (closed, or stopped by the browser)')).catch(() => undefined);
    }
    const g: Generation = {
      ...s,
      gone,
      alive: true,
      kill(reason) {
        if (!g.alive) return;
        g.alive = false;
        clearInterval(beat);
        lifeLock.abort();
        s.worker.removeEventListener('error', onError);
        s.remote[Comlink.releaseProxy]();
        s.worker.terminate();
        if (current === g) current = undefined;
        reject(new FaceError('WORKER_CRASHED', `${reason}; the next call starts a new one`, { restarts }));
        if (!disposed) status({ state: 'crashed', reason, restarts });
      },
    };
    return g;
  }

  async function live(): Promise<Generation> {
    if (disposed) throw new FaceError('DISPOSED', 'this recognizer was disposed');
    if (current?.alive) return current;
    if (starting) return starting;
    const now = Date.now();
    recent = recent.filter((t) => now - t < windowMs);
    if (recent.length >= maxRestarts) {
      throw new FaceError('WORKER_CRASHED', `the recognizer worker crashed ${recent.length + 1} times within ${windowMs / 1000} s; call restart() to try again`, {
        restarts, exhausted: true,
      });
    }
    recent.push(now);
    return replace();
  }

  function replace(): Promise<Generation> {
    restarts++;
    status({ state: 'restarting', restarts });
    const p = start().then((s) => {
      if (disposed) {
        s.remote[Comlink.releaseProxy]();
        s.worker.terminate();
        throw new FaceError('DISPOSED', 'this recognizer was disposed');
      }
      current = watch(s);
      info = s.info;
      status({ state: 'ready', restarts });
      return current;
    });
    starting = p;
    p.then(() => { starting = undefined; }, () => { starting = undefined; });
    return p;
  }

  return {
    async call(fn) {
      const g = await live();
      try {
        return await Promise.race([fn(g.remote), g.gone]);
      } catch (e) {
        // The worker reports an abort inside onnxruntime as WORKER_CRASHED: it is not reused.
        if (isFaceError(e, 'WORKER_CRASHED') && g.alive) g.kill(e.message.replace(/; the next call.*$/, ''));
        throw e;
      }
    },
    async ifAlive(fn) {
      return current?.alive ? fn(current.remote).catch(() => undefined) : undefined;
    },
    info: () => (current?.alive ? current.info : info),
    restarts: () => restarts,
    async restart() {
      current?.kill('restarted by the caller');
      recent = [];
      await (starting ?? replace());
    },
    async dispose() {
      disposed = true;
      const g = current ?? (await starting?.catch(() => undefined));
      if (!g?.alive) return;
      // The worker may be busy (or stuck) with a call: wait at most 2 s for it to release its
      // sessions, then terminate it anyway.
      try {
        await Promise.race([g.remote.dispose(), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // terminated below either way
      } finally {
        g.kill('disposed');
      }
    },
  };
}
