/**
 * Labelled presentation-attack frames from any folder with a manifest: `manifest.csv` (columns
 * file, class = live | print | replay, medium, dataset, subject; the shared MSU-MFSD / OULU-NPU set)
 * or `labels.csv` (image, live 1/0, subject; the shared NUAA set, whose attacks are printed photos).
 * Rows are grouped into sets by the dataset column (NUAA: one set named after the folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export type AttackClass = 'live' | 'print' | 'replay';

export interface LabelledFrame {
  /** Absolute path of the image. */
  path: string;
  /** Path under the folder. */
  file: string;
  set: string;
  cls: AttackClass;
  /** Attack instrument (PAI species), e.g. printed_photo, ipad_air_video; 'live' for bona fide. */
  medium: string;
  /** Subject id, unique across sets. */
  subject: string;
}

/** The shared data folder, beside the repository. */
export const SHARED_DATA = new URL('../../../shared/data/', import.meta.url).pathname;
export const DEFAULT_FOLDERS = [join(SHARED_DATA, 'nuaa'), join(SHARED_DATA, 'spoof')];

function csv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head.split(',').map((c) => c.trim());
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v.trim()])));
}

export function readLabelledFolder(folder: string): LabelledFrame[] {
  if (existsSync(join(folder, 'manifest.csv'))) {
    return csv(readFileSync(join(folder, 'manifest.csv'), 'utf8')).map((r) => {
      if (r.class !== 'live' && r.class !== 'print' && r.class !== 'replay') throw new Error(`${folder}: class ${r.class} of ${r.file}`);
      return { path: join(folder, r.file), file: r.file, set: r.dataset || basename(folder), cls: r.class, medium: r.class === 'live' ? 'live' : r.medium || r.class, subject: r.subject };
    });
  }
  if (existsSync(join(folder, 'labels.csv'))) {
    const set = basename(folder.replace(/\/+$/, ''));
    return csv(readFileSync(join(folder, 'labels.csv'), 'utf8')).map((r) => {
      const live = r.live === '1';
      return { path: join(folder, 'images', r.image), file: r.image, set, cls: live ? 'live' : 'print', medium: live ? 'live' : 'printed_photo', subject: `${set}_${r.subject}` };
    });
  }
  throw new Error(`${folder}: neither manifest.csv nor labels.csv`);
}
