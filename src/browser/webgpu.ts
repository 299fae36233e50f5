/**
 * Why WebGPU cannot be used here, or undefined when an adapter exists. Asked by the page (which
 * worker to start: the WebGPU one carries a 26.8 MB runtime) and by the worker (which backend).
 */
export async function webGpuUnavailable(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'navigator.gpu is not available';
  try {
    return (await gpu.requestAdapter()) ? undefined : 'no WebGPU adapter';
  } catch (e) {
    return `no WebGPU adapter: ${(e as Error).message}`;
  }
}
