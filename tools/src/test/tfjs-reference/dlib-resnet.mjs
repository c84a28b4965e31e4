// Runs dlib's ResNet face descriptor as @vladmandic/face-api's FaceRecognitionNet does, with
// TensorFlow.js's own CPU kernels and its own weight decoding (dequantisation), as the reference
// the converted ONNX model is checked against (DlibReferenceITCase).
// usage: node dlib-resnet.mjs WEIGHTS_MANIFEST INPUT_BIN N OUTPUT_BIN
// Input: raw little-endian float32 pixels 0..255, NHWC [N,150,150,3]. Output: float32 [N,128].
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [manifestPath, inputBin, n, outputBin] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const specs = [];
const shards = [];
for (const group of manifest) {
  specs.push(...group.weights);
  for (const p of group.paths) shards.push(readFileSync(join(dirname(manifestPath), p)));
}
const all = Buffer.concat(shards);
await tf.setBackend('cpu');
const w = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs);

// The layers of face-api's src/faceRecognitionNet (convLayer.ts, scaleLayer.ts, residualLayer.ts).
function convLayer(x, prefix, strides, withRelu, padding = 'same') {
  let out = tf.conv2d(x, w[`${prefix}/conv/filters`], strides, padding);
  out = tf.add(out, w[`${prefix}/conv/bias`]);
  out = tf.add(tf.mul(out, w[`${prefix}/scale/weights`]), w[`${prefix}/scale/biases`]);
  return withRelu ? tf.relu(out) : out;
}
const conv = (x, p) => convLayer(x, p, [1, 1], true);
const convNoRelu = (x, p) => convLayer(x, p, [1, 1], false);
const convDown = (x, p) => convLayer(x, p, [2, 2], true, 'valid');
function residual(x, p) {
  let out = conv(x, `${p}/conv1`);
  out = convNoRelu(out, `${p}/conv2`);
  return tf.relu(tf.add(out, x));
}
function residualDown(x, p) {
  let out = convDown(x, `${p}/conv1`);
  out = convNoRelu(out, `${p}/conv2`);
  let pooled = tf.avgPool(x, 2, 2, 'valid');
  const zeros = tf.zeros(pooled.shape);
  const isPad = pooled.shape[3] !== out.shape[3];
  const isAdjustShape = pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2];
  if (isAdjustShape) {
    const padShapeX = [...out.shape];
    padShapeX[1] = 1;
    out = tf.concat([out, tf.zeros(padShapeX)], 1);
    const padShapeY = [...out.shape];
    padShapeY[2] = 1;
    out = tf.concat([out, tf.zeros(padShapeY)], 2);
  }
  pooled = isPad ? tf.concat([pooled, zeros], 3) : pooled;
  return tf.relu(tf.add(pooled, out));
}

const raw = readFileSync(inputBin);
const input = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [+n, 150, 150, 3]);
const normalized = tf.div(tf.sub(input, tf.tensor1d([122.782, 117.001, 104.298])), 255);
let out = convDown(normalized, 'conv32_down');
out = tf.maxPool(out, 3, 2, 'valid');
for (const b of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(out, b);
out = residualDown(out, 'conv64_down');
for (const b of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(out, b);
out = residualDown(out, 'conv128_down');
for (const b of ['conv128_1', 'conv128_2']) out = residual(out, b);
out = residualDown(out, 'conv256_down');
for (const b of ['conv256_1', 'conv256_2']) out = residual(out, b);
out = residualDown(out, 'conv256_down_out');
const descriptor = tf.matMul(tf.mean(out, [1, 2]), w.fc);
writeFileSync(outputBin, Buffer.from(new Float32Array(await descriptor.data()).buffer));
console.log(JSON.stringify({ backend: tf.getBackend(), tfjs: tf.version_core, shape: descriptor.shape }));
