/**
 * Converts face-api's TFJS dlib face ResNet to models/dlib_resnet.onnx (git-ignored, like every
 * .onnx there) and prints its sha256 and size. Run: npx tsx tools/convert/convert-dlib-resnet.ts
 *
 * The weights come from `npm pack @vladmandic/face-api@1.7.15` (pinned sha256, cached in
 * models/.cache/); the architecture is tools/lib/dlib-resnet-onnx.ts. Deterministic: the same
 * package always gives the same bytes.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { DLIB_MODEL_PATH } from '../lib/dlib-model.js';
import { dlibResnetOnnx } from '../lib/dlib-resnet-onnx.js';
import { loadRecognitionWeights, sha256 } from '../lib/face-api-package.js';

const bytes = dlibResnetOnnx(loadRecognitionWeights());
writeFileSync(`${DLIB_MODEL_PATH}.part`, bytes);
renameSync(`${DLIB_MODEL_PATH}.part`, DLIB_MODEL_PATH);
console.log(`${DLIB_MODEL_PATH}: ${bytes.length} bytes (${(bytes.length / 1e6).toFixed(1)} MB), sha256 ${sha256(bytes)}`);
