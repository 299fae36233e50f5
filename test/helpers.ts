import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { RgbaImage } from '../src/pipeline/image.js';

/** Shared, labelled public data (../shared/data, see each set's SOURCE.md). */
export const DATA = new URL('../../shared/data/', import.meta.url).pathname;
export const LFW = `${DATA}lfw-view1/images/`;
export const AFW = `${DATA}afw_300w/`;
export const DEEPFACE = `${DATA}deepface/images/`;

export async function loadRgba(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

export interface AfwFace { image: string; points: number[][] }
export function afwFaces(): AfwFace[] {
  return JSON.parse(readFileSync(`${AFW}landmarks.json`, 'utf8'));
}

export function csvPairs(file: string): { a: string; b: string; same: boolean }[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => {
    const [a, b, s] = l.split(',');
    return { a, b, same: s.trim() === '1' };
  });
}
