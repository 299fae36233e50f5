/**
 * The MSU-MFSD and OULU-NPU presentation-attack frames in ../shared/data/spoof/ (SOURCE.md and
 * manifest.csv there): live, print and screen-replay frames, the developers' subjects. Research-only:
 * read in place, never copied.
 */
import { readFileSync } from 'node:fs';

export const SPOOF = new URL('../../../shared/data/spoof/', import.meta.url).pathname;

export interface SpoofFrame {
  /** Path under SPOOF, e.g. live/real_client001_android_SD_scene01.jpg. */
  file: string;
  cls: 'live' | 'print' | 'replay';
  medium: string;
  dataset: 'msu' | 'oulu';
  subject: string;
}

export function spoofFrames(): SpoofFrame[] {
  const [head, ...rows] = readFileSync(`${SPOOF}manifest.csv`, 'utf8').trim().split('\n');
  const cols = head.split(',');
  const at = (name: string) => cols.indexOf(name);
  return rows.map((l) => {
    const v = l.split(',');
    return { file: v[at('file')], cls: v[at('class')] as SpoofFrame['cls'], medium: v[at('medium')], dataset: v[at('dataset')] as SpoofFrame['dataset'], subject: v[at('subject')] };
  });
}
