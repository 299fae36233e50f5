/**
 * A fake webcam for Chromium: a .y4m clip made from a real face photo, which Chromium loops
 * (`--use-file-for-fake-video-capture`). Written to a temp dir at test time, never committed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export interface FakeCamera {
  /** Path of the .y4m file. */
  file: string;
  width: number;
  height: number;
  /** Chromium flags that grant the camera without a prompt and feed it the file. */
  args: string[];
}

/**
 * Letterboxes `photo` into a width x height frame and writes it as a YUV4MPEG2 4:2:0 clip.
 * Chromium reads the planes as BT.601 studio range, so the conversion uses that range.
 */
export async function makeFakeCamera(photo: string, { width = 640, height = 480, frames = 2 } = {}): Promise<FakeCamera> {
  const { data } = await sharp(photo)
    .rotate() // EXIF orientation, as a camera would deliver the picture upright
    .resize(width, height, { fit: 'contain', background: { r: 96, g: 96, b: 96 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const frame = rgbToI420(data, width, height);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const marker = Buffer.from('FRAME\n');
  const parts: Buffer[] = [header];
  for (let i = 0; i < frames; i++) parts.push(marker, frame);
  const dir = mkdtempSync(join(tmpdir(), 'fr-fake-camera-'));
  const file = join(dir, 'camera.y4m');
  writeFileSync(file, Buffer.concat(parts));
  return {
    file,
    width,
    height,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
  };
}

/** Packed RGB → planar I420 (Y at full size, U and V averaged over 2x2 blocks). */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Buffer {
  const cw = width >> 1, ch = height >> 1;
  const out = Buffer.alloc(width * height + 2 * cw * ch);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0, p = 0; i < width * height; i++, p += 3) {
    out[i] = clamp(16 + (65.481 * rgb[p] + 128.553 * rgb[p + 1] + 24.966 * rgb[p + 2]) / 255);
  }
  const u0 = width * height, v0 = u0 + cw * ch;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((2 * y + dy) * width + 2 * x + dx) * 3;
        r += rgb[p]; g += rgb[p + 1]; b += rgb[p + 2];
      }
      r /= 4; g /= 4; b /= 4;
      out[u0 + y * cw + x] = clamp(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[v0 + y * cw + x] = clamp(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}
