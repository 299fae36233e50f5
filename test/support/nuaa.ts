/** The NUAA print-attack frames in ../shared/data/nuaa/ (SOURCE.md there): 500 live, 500 print, 9 subjects. */
import { readFileSync } from 'node:fs';

export const NUAA = new URL('../../../shared/data/nuaa/', import.meta.url).pathname;
export const NUAA_IMAGES = `${NUAA}images/`;

export interface NuaaFrame {
  /** Path under images/, e.g. live/0001_00_00_01_123.jpg. */
  image: string;
  live: boolean;
  subject: string;
}

export function nuaaFrames(): NuaaFrame[] {
  return readFileSync(`${NUAA}labels.csv`, 'utf8').trim().split('\n').slice(1).map((l) => {
    const [image, live, subject] = l.split(',');
    return { image, live: live.trim() === '1', subject: subject.trim() };
  });
}
