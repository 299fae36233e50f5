/** A one-line progress report on stderr (pairs done, rate, ETA), only when stderr is a terminal. */
export interface Progress {
  tick(done: number): void;
  end(): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { tick: () => undefined, end: () => undefined };
  const t0 = performance.now();
  let last = 0, shown = false;
  const line = (done: number) => {
    const s = (performance.now() - t0) / 1000;
    const rate = done / Math.max(s, 1e-3);
    const eta = rate > 0 ? Math.round((total - done) / rate) : NaN;
    stream.write(`\r${label}: ${done}/${total} pairs, ${rate.toFixed(1)} pairs/s, ETA ${Number.isFinite(eta) ? `${eta} s` : '…'}\x1b[K`);
    shown = true;
  };
  return {
    tick(done) {
      const now = performance.now();
      // A few updates a second are plenty; the last pair always shows.
      if (now - last < 250 && done < total) return;
      last = now;
      line(done);
    },
    end() {
      if (shown) stream.write('\n');
    },
  };
}
