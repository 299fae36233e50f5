/**
 * The page side of the parity corpus test: runs in Chromium, Firefox and WebKit (serialised by the
 * driver, so it must be self-contained: no imports, no outer variables). For each file it builds
 * every input kind the engine supports from the same bytes and records what analyze() and
 * compareFaces() answer.
 */

export interface PageFile {
  name: string;
  url: string;
  mime: string;
  /** Input kinds to try besides 'blob'. */
  kinds: string[];
}

export interface PageFace {
  box: number[];
  landmarks: number[][];
  quality: number;
}

export interface PageResult {
  /** file → kind → outcome. */
  results: Record<string, Record<string, { faces?: PageFace[]; similarity?: number; error?: string; unsupported?: string }>>;
  userAgent: string;
}

export async function runCorpusInPage(arg: { files: PageFile[]; upright: string; freshRecognizer?: boolean }): Promise<PageResult> {
  const w = window as unknown as { sdk: any; fr?: any; sdkReady?: boolean };
  for (let i = 0; i < 600 && !w.sdkReady; i++) await new Promise((r) => setTimeout(r, 100));
  if (arg.freshRecognizer && w.fr) {
    await w.fr.dispose();
    w.fr = undefined;
  }
  w.fr ??= await w.sdk.createFaceRecognizer({ backend: 'wasm' });
  const fr = w.fr;
  // Everything a kind creates is released after its analysis: WebKit caps live canvas memory.
  let garbage: (() => void)[] = [];
  const fetchBlob = async (url: string, type: string) => new Blob([await (await fetch(url)).arrayBuffer()], { type });
  const upright = await fetchBlob(arg.upright, 'image/png');
  const loadImg = async (blob: Blob) => {
    const img = new Image();
    img.src = URL.createObjectURL(blob);
    garbage.push(() => URL.revokeObjectURL(img.src));
    await img.decode();
    return img;
  };
  const toCanvas = (src: CanvasImageSource, width: number, height: number) => {
    const c = document.createElement('canvas');
    c.width = width; c.height = height;
    garbage.push(() => { c.width = c.height = 0; });
    c.getContext('2d')!.drawImage(src, 0, 0);
    return c;
  };
  /** A camera frame: the upright picture stored turned and mirrored, with rotation/flip saying how to show it. */
  const orientedFrame = (bitmap: ImageBitmap, rotation: number, flip: boolean) => {
    const swap = rotation % 180 !== 0;
    const sw = swap ? bitmap.height : bitmap.width, sh = swap ? bitmap.width : bitmap.height;
    const c = new OffscreenCanvas(sw, sh);
    garbage.push(() => { c.width = c.height = 0; });
    const g = c.getContext('2d')!;
    // stored = rotate(-rotation) of flip(upright)
    g.translate(sw / 2, sh / 2);
    g.rotate((-rotation * Math.PI) / 180);
    if (flip) g.scale(-1, 1);
    g.drawImage(bitmap, -bitmap.width / 2, -bitmap.height / 2);
    const frame = new VideoFrame(c, { timestamp: 0, rotation, flip } as VideoFrameInit) as VideoFrame & { rotation?: number; flip?: boolean };
    garbage.push(() => frame.close());
    if (frame.rotation !== rotation || (frame.flip ?? false) !== flip) {
      frame.close();
      return undefined;
    }
    return frame;
  };
  const make = async (kind: string, blob: Blob, name: string): Promise<unknown> => {
    if (kind === 'blob') return blob;
    if (kind === 'file') return new File([blob], name, { type: blob.type });
    const bitmap = await createImageBitmap(blob);
    garbage.push(() => bitmap.close());
    if (kind === 'bitmap') return bitmap;
    if (kind === 'img') return loadImg(blob);
    if (kind === 'canvas') return toCanvas(await loadImg(blob), bitmap.width, bitmap.height);
    if (kind === 'offscreen') {
      const o = new OffscreenCanvas(bitmap.width, bitmap.height);
      garbage.push(() => { o.width = o.height = 0; });
      o.getContext('2d')!.drawImage(bitmap, 0, 0);
      return o;
    }
    const data = toCanvas(bitmap, bitmap.width, bitmap.height).getContext('2d')!.getImageData(0, 0, bitmap.width, bitmap.height);
    if (kind === 'imageData') return data;
    if (kind === 'rgba') return { width: data.width, height: data.height, data: new Uint8Array(data.data) };
    if (typeof VideoFrame !== 'function') throw new Error('no VideoFrame');
    if (kind === 'videoFrame') {
      const frame = new VideoFrame(bitmap, { timestamp: 0 });
      garbage.push(() => frame.close());
      return frame;
    }
    if (kind === 'frameRot90') return orientedFrame(bitmap, 90, false) ?? Promise.reject(new Error('VideoFrame rotation not supported'));
    if (kind === 'frameRot270Flip') return orientedFrame(bitmap, 270, true) ?? Promise.reject(new Error('VideoFrame rotation/flip not supported'));
    if (kind === 'video') {
      const canvas = toCanvas(bitmap, bitmap.width, bitmap.height);
      if (!('captureStream' in canvas)) throw new Error('no canvas.captureStream');
      const video = document.createElement('video');
      video.muted = true;
      const stream = canvas.captureStream(10);
      video.srcObject = stream;
      garbage.push(() => { video.pause(); stream.getTracks().forEach((t) => t.stop()); video.srcObject = null; });
      // WebKitGTK's play() of a canvas stream may never settle: give it 5 s.
      await Promise.race([video.play(), new Promise((_, reject) => setTimeout(() => reject(new Error('video.play() of a canvas stream did not start')), 5000))]);
      for (let i = 0; i < 50 && (video.readyState < 2 || !video.videoWidth); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      if (video.videoWidth !== bitmap.width || video.videoHeight !== bitmap.height) {
        throw new Error(`canvas.captureStream() gives a ${video.videoWidth}x${video.videoHeight} video of a ${bitmap.width}x${bitmap.height} canvas`);
      }
      return video;
    }
    throw new Error(`unknown kind ${kind}`);
  };
  const face = (f: any): PageFace => ({ box: [f.x1, f.y1, f.x2, f.y2], landmarks: f.landmark_68.map((p: any) => [p.x, p.y]), quality: f.face_quality });
  const results: PageResult['results'] = {};
  for (const f of arg.files) {
    const blob = await fetchBlob(f.url, f.mime);
    results[f.name] = {};
    for (const kind of ['blob', ...f.kinds]) {
      let input: unknown;
      try {
        input = await make(kind, blob, f.name);
      } catch (e) {
        results[f.name][kind] = { unsupported: (e as Error).message };
        for (const release of garbage) release();
        garbage = [];
        continue;
      }
      try {
        const faces = (await fr.analyze(input)).map(face);
        let similarity: number | undefined;
        if (kind === 'blob' && faces.length) similarity = (await fr.compareFaces(blob, upright)).compare_similarity;
        results[f.name][kind] = { faces, similarity };
      } catch (e) {
        results[f.name][kind] = { error: (e as { code?: string }).code ?? String(e) };
      } finally {
        for (const release of garbage) release();
        garbage = [];
      }
    }
  }
  return { results, userAgent: navigator.userAgent };
}
