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

/** A frame's place in its recording: `subject_glasses_position_session` and the frame number. */
function place(image: string): [recording: string, frame: number] {
  const m = /(\d+_\d+_\d+_\d+)_(\d+)\.jpg$/.exec(image);
  if (!m) throw new Error(`not a NUAA frame name: ${image}`);
  return [m[1]!, Number(m[2])];
}

/**
 * One subject's live or print frames in frame order (recording by recording, frame numbers
 * ascending): the nearest thing to a camera stream the set holds. It includes blinks.
 */
export function nuaaSequence(subject: string, live: boolean): NuaaFrame[] {
  return nuaaFrames().filter((f) => f.subject === subject && f.live === live).sort((a, b) => {
    const [ra, fa] = place(a.image), [rb, fb] = place(b.image);
    return ra.localeCompare(rb) || fa - fb;
  });
}

export const NUAA_SUBJECTS = ['0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008', '0009'] as const;
