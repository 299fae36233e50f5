/**
 * Auto-capture on real webcam sequences: the live and the print frames of NUAA subjects 1–9
 * (../shared/data/nuaa/), each subject's frames in frame order, analysed by the real models in Node
 * with liveness on (one detection per frame) and fed to the capture judge with liveness "require".
 * Every live subject must be captured and no print ever. Prints the frames and the analysis time to
 * capture per subject (the figures of docs/capture.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureJudge, type Verdict } from '../src/capture/judge.js';
import { eyesClosed } from '../src/capture/rules.js';
import { createFaceRecognizer, type NodeFaceRecognizer } from '../src/node/index.js';
import { NUAA_IMAGES, NUAA_SUBJECTS, nuaaSequence, type NuaaFrame } from './support/nuaa.js';

let fr: NodeFaceRecognizer;
beforeAll(async () => {
  fr = await createFaceRecognizer();
  await fr.analyzeDetailed(NUAA_IMAGES + nuaaSequence('0001', true)[0]!.image, { liveness: true }); // loads the liveness model: not a frame's cost
});
afterAll(() => fr?.dispose());

interface Run { frames: number; ms: number; captured?: NuaaFrame; codes: string[]; verdicts: Verdict<NuaaFrame>[] }

/** Feeds a sequence to a judge until it captures (or the sequence ends). */
async function run(sequence: NuaaFrame[], untilCapture = true): Promise<Run> {
  const judge = createCaptureJudge<NuaaFrame>({ liveness: 'require' });
  const r: Run = { frames: 0, ms: 0, codes: [], verdicts: [] };
  for (const f of sequence) {
    const t0 = performance.now();
    const a = await fr.analyzeDetailed(NUAA_IMAGES + f.image, { liveness: true });
    r.ms += performance.now() - t0;
    r.frames++;
    const v = judge.push(f, { ...a, width: 640, height: 480 });
    r.codes.push(v.code);
    r.verdicts.push(v);
    if (v.best && !r.captured) {
      r.captured = v.best;
      if (untilCapture) break;
    }
  }
  return r;
}

describe('auto-capture on NUAA webcam sequences (liveness "require")', () => {
  const live: Record<string, Run> = {};
  const print: Record<string, Run> = {};

  beforeAll(async () => {
    for (const s of NUAA_SUBJECTS) live[s] = await run(nuaaSequence(s, true));
    for (const s of NUAA_SUBJECTS) print[s] = await run(nuaaSequence(s, false), false);
    const rows = NUAA_SUBJECTS.map((s) => `| ${s} | ${live[s]!.frames} of ${nuaaSequence(s, true).length} | ${live[s]!.ms.toFixed(0)} ms | ${print[s]!.captured ? 'CAPTURED' : `never (${print[s]!.frames} frames)`} |`);
    console.log(['| subject | live: frames to capture | live: analysis time to capture | print |', '|---|---|---|---|', ...rows].join('\n'));
  }, 300_000);

  it('captures every live subject', () => {
    for (const s of NUAA_SUBJECTS) expect(live[s]!.captured, `subject ${s}`).toBeDefined();
  });

  it('never captures a print, and says "print" on its fit frames', () => {
    for (const s of NUAA_SUBJECTS) {
      expect(print[s]!.captured, `subject ${s}`).toBeUndefined();
      expect(print[s]!.verdicts.every((v) => !v.ok), `subject ${s}`).toBe(true);
    }
    const codes = NUAA_SUBJECTS.flatMap((s) => print[s]!.codes);
    expect(codes.filter((c) => c === 'print').length).toBeGreaterThan(codes.length / 2);
  });

  it('the captured frame is live, fit, and among the window the one with the highest face_quality (eyes open first)', async () => {
    for (const s of NUAA_SUBJECTS) {
      const r = live[s]!;
      const window = r.verdicts.slice(-r.verdicts.at(-1)!.needed);
      // A window of fit frames: 'checking' while it fills (live ones are being collected), then 'ok'.
      expect(window.map((v) => v.code), `subject ${s}`).toEqual([...Array(window.length - 1).fill('checking'), 'ok']);
      expect(window.at(-1)!.ok).toBe(true);
      const analyses = await Promise.all(nuaaSequence(s, true).slice(r.frames - window.length, r.frames).map((f) => fr.analyzeDetailed(NUAA_IMAGES + f.image, { liveness: true }).then((a) => ({ f, a }))));
      const rank = ({ a }: (typeof analyses)[number]) => (eyesClosed(a.faces[0]!) ? 0 : 2) + a.faces[0]!.face_quality;
      const best = analyses.reduce((b, x) => (rank(x) > rank(b) ? x : b));
      expect(r.captured!.image, `subject ${s}`).toBe(best.f.image);
      expect(best.a.liveness![0]!.live).toBe(true);
    }
  });
});
