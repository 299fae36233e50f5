// Runs inside the benchmark page (plain JS: it is sent as text, not through a bundler).
// Everything the bench JSON needs for one backend.
async ({ options, runs, heapRuns }) => {
  const sdk = window.sdk;
  const blob = async (n) => (await fetch(`/bench/${n}`)).blob();
  const [a640, b640, a1080, b1080] = await Promise.all(['a640.jpg', 'b640.jpg', 'a1080.jpg', 'b1080.jpg'].map(blob));
  const frameBytes = new Uint8ClampedArray(await (await fetch('/bench-frame.rgba')).arrayBuffer());
  const frame = new ImageData(frameBytes, 640, 480);
  // Warm the HTTP cache (models, wasm) once; cold start is then "models from cache".
  const warm = await sdk.createFaceRecognizer(options);
  await warm.dispose();
  const t0 = performance.now();
  const fr = await sdk.createFaceRecognizer(options);
  await fr.compareFaces(a640, b640);
  const coldStart = performance.now() - t0;
  const info = fr.info();
  const times = async (n, job) => {
    const t = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await job();
      t.push({ ms: performance.now() - s, timings: { ...fr.last.timings } });
    }
    return t;
  };
  const c640 = await times(runs, () => fr.compareFaces(a640, b640));
  const c1080 = await times(Math.max(5, runs >> 1), () => fr.compareFaces(a1080, b1080));
  const frames = await times(runs, () => fr.analyze(frame));
  // Whole-page memory, workers and wasm heaps included (needs cross-origin isolation).
  const memory = async () => (performance.measureUserAgentSpecificMemory ? (await performance.measureUserAgentSpecificMemory()).bytes : NaN);
  const before = await memory();
  for (let i = 0; i < heapRuns; i++) await fr.compareFaces(a640, b640);
  const after = await memory();
  await fr.dispose();
  return { coldStart, info, c640, c1080, frames, before, after };
}
