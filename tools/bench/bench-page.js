// Runs inside the benchmark page (plain JS: it is sent as text, not through a bundler).
// Everything the bench JSON needs for one backend: the SDK, and (wasm backends) the floor beside it.
async ({ options, runs, heapRuns, floor }) => {
  const sdk = window.sdk;
  const blob = async (n) => (await fetch(`/bench/${n}`)).blob();
  const [a640, b640, a1080, b1080] = await Promise.all(['a640.jpg', 'b640.jpg', 'a1080.jpg', 'b1080.jpg'].map(blob));
  const frameBytes = new Uint8ClampedArray(await (await fetch('/bench/frame.rgba')).arrayBuffer());
  const frame = new ImageData(frameBytes, 640, 480);
  // Warm the HTTP cache (models, wasm) once; cold start is then "models from cache".
  const warm = await sdk.createFaceRecognizer(options);
  const threads = warm.info().threads;
  await warm.dispose();
  const t0 = performance.now();
  const fr = await sdk.createFaceRecognizer(options);
  await fr.compareFaces(a640, b640);
  const coldStart = performance.now() - t0;
  const info = fr.info();

  let fl, floorCold, floorInit;
  if (floor) {
    const w = window.createFloor();
    await w.init(threads);
    w.dispose();
    const t1 = performance.now();
    fl = window.createFloor();
    floorInit = await fl.init(threads);
    await fl.compare(a640, b640);
    floorCold = performance.now() - t1;
  }

  const sdkCompare = async (a, b) => (await fr.compare(a, b)).timings;
  const floorCompare = async (a, b) => (await fl.compare(a, b)).stages;
  const times = async (n, job) => {
    const t = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const timings = await job();
      t.push({ ms: performance.now() - s, timings });
    }
    return t;
  };
  // SDK and floor run by run in turn, so a burst of load from other jobs hits both alike.
  const ab = async (n, a, b) => {
    const sdkRuns = [], floorRuns = [];
    for (let i = 0; i < n; i++) {
      sdkRuns.push(...(await times(1, () => sdkCompare(a, b))));
      if (fl) floorRuns.push(...(await times(1, () => floorCompare(a, b))));
    }
    return [sdkRuns, floorRuns];
  };
  const [c640, f640] = await ab(runs, a640, b640);
  const [c1080, f1080] = await ab(Math.max(5, runs >> 1), a1080, b1080);
  const frames = await times(runs, async () => (await fr.analyzeDetailed(frame)).timings);
  // The capture loop's work per camera frame: one analysis with liveness on (the first call loads the model).
  await fr.analyzeDetailed(frame, { liveness: true });
  const captureFrames = await times(runs, async () => (await fr.analyzeDetailed(frame, { liveness: true })).timings);
  const sdkCosine = (await fr.compare(a640, b640)).cosine;
  const floorCosine = fl ? (await fl.compare(a640, b640)).cosine : undefined;
  fl?.dispose();
  // Whole-page memory, workers and wasm heaps included (needs cross-origin isolation).
  const memory = async () => (performance.measureUserAgentSpecificMemory ? (await performance.measureUserAgentSpecificMemory()).bytes : NaN);
  const before = await memory();
  for (let i = 0; i < heapRuns; i++) await fr.compareFaces(a640, b640);
  const after = await memory();
  await fr.dispose();
  return { coldStart, info, c640, c1080, frames, captureFrames, before, after, sdkCosine, floor: fl ? { coldStart: floorCold, init: floorInit, c640: f640, c1080: f1080, cosine: floorCosine } : undefined };
}
