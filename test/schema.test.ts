import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompareResultSchema, FaceSchema } from '../src/contract/result.js';

const example = JSON.parse(readFileSync(new URL('../../shared/spec/compare_face.example.json', import.meta.url), 'utf8'));

describe('CompareResultSchema against the platform example', () => {
  it('accepts the real platform response', () => {
    expect(CompareResultSchema.safeParse(example).success).toBe(true);
  });
  it('has exactly the example keys, top level and per face', () => {
    expect(Object.keys(CompareResultSchema.shape).sort()).toEqual(Object.keys(example).sort());
    expect(Object.keys(FaceSchema.shape).sort()).toEqual(Object.keys(example.face1).sort());
  });
  it('rejects an extra key, a missing key, a wrong type and a wrong landmark count', () => {
    expect(CompareResultSchema.safeParse({ ...example, extra: 1 }).success).toBe(false);
    const { face2: _f, ...missing } = example;
    expect(CompareResultSchema.safeParse(missing).success).toBe(false);
    expect(CompareResultSchema.safeParse({ ...example, compare_similarity: '0.8' }).success).toBe(false);
    expect(CompareResultSchema.safeParse({ ...example, face1: { ...example.face1, x1: 1.5 } }).success).toBe(false);
    expect(CompareResultSchema.safeParse({ ...example, face1: { ...example.face1, landmark_68: example.face1.landmark_68.slice(1) } }).success).toBe(false);
    expect(CompareResultSchema.safeParse({ ...example, compare_result: 'Maybe' }).success).toBe(false);
  });
});
