/** Human-readable text for the result view: attribute rows, timings, backend. Pure, no DOM. */
import type { BackendInfo, Face, StageTimings } from 'face-compare-sdk';

export interface AttributeRow {
  label: string;
  /** The key(s) in the platform JSON. */
  key: string;
  value: (f: Face) => string;
}

const deg = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(1)}°`;
const pct = (v: number) => `${Math.round(v * 100)} %`;
const eye = (v: number) => `${pct(v)} · ${v > 0.5 ? 'closed' : 'open'}`;

export const ATTRIBUTE_ROWS: readonly AttributeRow[] = [
  { label: 'Face box', key: 'x1, y1, x2, y2', value: (f) => `${f.x2 - f.x1} × ${f.y2 - f.y1} px at (${f.x1}, ${f.y1})` },
  { label: 'Landmarks', key: 'landmark_68', value: (f) => `${f.landmark_68.length} points` },
  { label: 'Eye distance', key: 'eye_dist', value: (f) => `${f.eye_dist.toFixed(1)} px` },
  { label: 'Yaw (left/right)', key: 'yaw', value: (f) => deg(f.yaw) },
  { label: 'Pitch (up/down)', key: 'pitch', value: (f) => deg(f.pitch) },
  { label: 'Roll (sideways)', key: 'roll', value: (f) => deg(f.roll) },
  { label: 'Left eye closed', key: 'left_eye_closed', value: (f) => eye(f.left_eye_closed) },
  { label: 'Right eye closed', key: 'right_eye_closed', value: (f) => eye(f.right_eye_closed) },
  { label: 'Mouth opened', key: 'mouth_opened', value: (f) => pct(f.mouth_opened) },
  { label: 'Brightness', key: 'face_luminance', value: (f) => `${f.face_luminance.toFixed(0)} / 255` },
  { label: 'Occlusion', key: 'face_occlusion', value: (f) => pct(f.face_occlusion) },
  { label: 'Quality', key: 'face_quality', value: (f) => pct(f.face_quality) },
];

export const STAGES: readonly (keyof StageTimings)[] = ['decode', 'detect', 'landmarks', 'align', 'embed', 'attributes'];

export const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')} ms`;

/** "wasm · 1 thread · SIMD · cross-origin isolated", or "WebGPU · cross-origin isolated" (onnxruntime-web ships only SIMD wasm builds). */
export function describeBackend(info: BackendInfo): string {
  const parts = info.backend === 'webgpu' ? ['WebGPU'] : ['wasm', `${info.threads} thread${info.threads === 1 ? '' : 's'}`, 'SIMD'];
  parts.push(info.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated');
  return parts.join(' · ');
}

/** Why the recognizer is not on WebGPU, when it says so (the SDK's own sentence). */
export const backendNote = (info: BackendInfo) => info.fallbackReason ?? '';
