// Runs a TensorFlow.js graph model with TensorFlow.js's own CPU kernels, as the reference a
// converted ONNX model is checked against (TfjsReferenceITCase).
// usage: node run.mjs MODEL_JSON INPUT_BIN N H W C OUTPUT_NAME OUTPUT_BIN
// Input and output are raw little-endian float32; the input is NHWC.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [modelJson, inputBin, n, h, w, c, outputName, outputBin] = process.argv.slice(2);
const model = JSON.parse(readFileSync(modelJson, 'utf8'));
const dir = dirname(modelJson);
const weightSpecs = [];
const shards = [];
for (const group of model.weightsManifest) {
  weightSpecs.push(...group.weights);
  for (const p of group.paths) shards.push(readFileSync(join(dir, p)));
}
const all = Buffer.concat(shards);
const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
await tf.setBackend('cpu');
const graph = await loadGraphModel(
  tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs, weightData }));
const raw = readFileSync(inputBin);
const input = tf.tensor(
  new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [+n, +h, +w, +c]);
const out = graph.execute(input, outputName);
writeFileSync(outputBin, Buffer.from(new Float32Array(await out.data()).buffer));
console.log(JSON.stringify({ backend: tf.getBackend(), tfjs: tf.version_core, shape: out.shape }));
