/**
 * A fake webcam for Chromium: a .y4m clip made from a real face photo, which Chromium loops
 * (`--use-file-for-fake-video-capture`). Written to a temp dir at test time, never committed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';

export interface FakeCamera {
  /** Path of the .y4m file. */
  file: string;
  /** Chromium flags that grant the camera without a prompt and feed it the file. */
  args: string[];
  /** Deletes the file (after the browser is closed). */
  remove(): void;
}

export interface FrameSize { width: number; height: number }

/** The photo letterboxed into one camera frame, as planar I420 (BT.601 studio range, as Chromium reads it). */
export async function cameraFrameI420(photo: string, { width, height }: FrameSize = { width: 640, height: 480 }): Promise<Buffer> {
  const { data } = await sharp(photo)
    .rotate() // EXIF orientation: a camera delivers the picture upright
    .resize(width, height, { fit: 'contain', background: { r: 96, g: 96, b: 96 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return rgbToI420(data, width, height);
}

export async function makeFakeCamera(photo: string, size: FrameSize = { width: 640, height: 480 }): Promise<FakeCamera> {
  const frame = await cameraFrameI420(photo, size);
  // Two identical frames: Chromium loops the clip, so the camera shows a still person.
  const clip = Buffer.concat([Buffer.from(`YUV4MPEG2 W${size.width} H${size.height} F30:1 Ip A1:1 C420jpeg\n`), ...[0, 1].flatMap(() => [Buffer.from('FRAME\n'), frame])]);
  const file = join(mkdtempSync(join(tmpdir(), 'fr-fake-camera-')), 'camera.y4m');
  writeFileSync(file, clip);
  return {
    file,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
    remove: () => rmSync(dirname(file), { recursive: true, force: true }),
  };
}

// BT.601 studio-range coefficients (Y 16–235, Cb/Cr 16–240).
const Y = [65.481, 128.553, 24.966], U = [-37.797, -74.203, 112], V = [112, -93.786, -18.214];
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Packed RGB → planar I420 (Y at full size, U and V averaged over 2x2 blocks). */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Buffer {
  const cw = width >> 1, ch = height >> 1, u0 = width * height, v0 = u0 + cw * ch;
  const out = Buffer.alloc(u0 + 2 * cw * ch);
  for (let i = 0, p = 0; i < width * height; i++, p += 3) out[i] = clamp(16 + (Y[0] * rgb[p] + Y[1] * rgb[p + 1] + Y[2] * rgb[p + 2]) / 255);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((2 * y + dy) * width + 2 * x + dx) * 3;
        r += rgb[p] / 4; g += rgb[p + 1] / 4; b += rgb[p + 2] / 4;
      }
      out[u0 + y * cw + x] = clamp(128 + (U[0] * r + U[1] * g + U[2] * b) / 255);
      out[v0 + y * cw + x] = clamp(128 + (V[0] * r + V[1] * g + V[2] * b) / 255);
    }
  }
  return out;
}

/** Planar I420 → RGBA: the pixels a page gets from the fake camera. */
export function i420ToRgba(yuv: Uint8Array, width: number, height: number): Uint8Array {
  const cw = width >> 1, u0 = width * height, v0 = u0 + cw * (height >> 1);
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * cw + (x >> 1);
      const l = 1.164 * (yuv[y * width + x] - 16), u = yuv[u0 + c] - 128, v = yuv[v0 + c] - 128;
      const o = (y * width + x) * 4;
      out[o] = clamp(l + 1.596 * v);
      out[o + 1] = clamp(l - 0.392 * u - 0.813 * v);
      out[o + 2] = clamp(l + 2.017 * u);
      out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * A fake webcam that plays a sequence of real frames (each letterboxed to `size`, optionally
 * transformed, e.g. darkened), `fps` frames a second, looped by Chromium. `args` without the
 * auto-accept flag when `prompt` is false: the page then gets the browser's own permission decision.
 */
export async function makeFakeCameraClip(frames: (string | Buffer)[], options: { size?: FrameSize; fps?: number; transform?: (s: Sharp) => Sharp; autoAccept?: boolean } = {}): Promise<FakeCamera> {
  const { width, height } = options.size ?? { width: 640, height: 480 };
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${options.fps ?? 10}:1 Ip A1:1 C420jpeg\n`)];
  for (const f of frames) {
    let s = sharp(f).rotate().resize(width, height, { fit: 'contain', background: { r: 96, g: 96, b: 96 } });
    if (options.transform) s = options.transform(s);
    const { data } = await s.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    parts.push(Buffer.from('FRAME\n'), rgbToI420(data, width, height));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'fr-fake-camera-')), 'camera.y4m');
  writeFileSync(file, Buffer.concat(parts));
  const accept = options.autoAccept ?? true;
  return {
    file,
    args: [...(accept ? ['--use-fake-ui-for-media-stream'] : []), '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
    remove: () => rmSync(dirname(file), { recursive: true, force: true }),
  };
}
