/** Drawing faces (box + 68 landmarks) over live video, captured stills and result crops. */
import type { Face } from 'face-compare-sdk';

export const COLORS = { ok: '#1fd36b', warn: '#ffb300', point: '#ff3d6e' } as const;

/** Region of the source image shown on a canvas: source pixels (sx, sy, sw, sh). */
export interface View { sx: number; sy: number; sw: number; sh: number }

/**
 * Draws the faces in source-pixel coordinates onto a canvas that shows `view` of the source.
 * Line widths follow the canvas size, so marks read the same on a thumbnail and a full frame.
 */
export function drawFaces(ctx: CanvasRenderingContext2D, faces: readonly Face[], view: View, color: string = COLORS.ok): void {
  const { width, height } = ctx.canvas;
  const k = width / view.sw;
  const px = (x: number) => (x - view.sx) * k, py = (y: number) => (y - view.sy) * (height / view.sh);
  const lw = Math.max(1.5, Math.min(width, height) / 200);
  faces.forEach((f, i) => {
    ctx.lineWidth = i === 0 ? lw * 1.5 : lw;
    ctx.strokeStyle = i === 0 ? color : COLORS.warn;
    ctx.strokeRect(px(f.x1), py(f.y1), (f.x2 - f.x1) * k, (f.y2 - f.y1) * (height / view.sh));
    ctx.fillStyle = COLORS.point;
    const r = Math.max(1.2, lw);
    for (const p of f.landmark_68) {
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), r, 0, 2 * Math.PI);
      ctx.fill();
    }
  });
}

/** Transparent overlay at the frame's own resolution; CSS scales it exactly like the <video> under it. */
export function drawOverlay(canvas: HTMLCanvasElement, faces: readonly Face[], frame: { width: number; height: number }, color: string): void {
  if (canvas.width !== frame.width || canvas.height !== frame.height) {
    canvas.width = frame.width;
    canvas.height = frame.height;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  drawFaces(ctx, faces, { sx: 0, sy: 0, sw: frame.width, sh: frame.height }, color);
}

/** The image (or `view` of it) scaled to at most `maxSide` pixels, with the faces drawn over it. */
export function drawStill(canvas: HTMLCanvasElement, image: ImageBitmap, faces: readonly Face[], view?: View, maxSide = 1024): void {
  const v = view ?? { sx: 0, sy: 0, sw: image.width, sh: image.height };
  const s = Math.min(1, maxSide / Math.max(v.sw, v.sh));
  canvas.width = Math.max(1, Math.round(v.sw * s));
  canvas.height = Math.max(1, Math.round(v.sh * s));
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, v.sx, v.sy, v.sw, v.sh, 0, 0, canvas.width, canvas.height);
  drawFaces(ctx, faces, v);
}

/** A square-ish region around the face with room for hair and chin, kept inside the image. */
export function faceView(face: Face, image: { width: number; height: number }, pad = 0.45): View {
  const w = face.x2 - face.x1, h = face.y2 - face.y1;
  const side = Math.min(Math.max(w, h) * (1 + 2 * pad), image.width, image.height);
  const cx = (face.x1 + face.x2) / 2, cy = (face.y1 + face.y2) / 2;
  const sx = Math.min(Math.max(0, cx - side / 2), image.width - side);
  const sy = Math.min(Math.max(0, cy - side / 2), image.height - side);
  return { sx, sy, sw: side, sh: side };
}
