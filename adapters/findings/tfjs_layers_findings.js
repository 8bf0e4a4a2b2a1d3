// Minimal reproductions of what tfjs-layers 4.22.0 does with Keras model JSON (adapters/findings/FINDINGS.md).
// Run: node adapters/findings/tfjs_layers_findings.js   (after `npm ci` in adapters/readers/tfjs-layers)
'use strict';

for (const method of ['log', 'info', 'warn']) console[method] = () => {}; // tfjs's Node greeting
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tf = require(path.join(__dirname, '../readers/tfjs-layers/node_modules/@tensorflow/tfjs'));

const input = (name, shape = [null, 4], dtype = 'float32') =>
  ({ class_name: 'InputLayer', name, inbound_nodes: [], config: { batch_input_shape: shape, dtype, name } });
const functional = (layers, inputs, outputs) =>
  ({ class_name: 'Functional', config: { name: 'm', layers, input_layers: inputs, output_layers: outputs } });
const say = (title, text) => process.stdout.write(`[tfjs ${tf.version.tfjs}] ${title}: ${text}\n`);

async function attempt(title, config, inspect) {
  try {
    const model = await tf.models.modelFromJSON(config);
    say(title, inspect(model));
  } catch (error) {
    say(title, `${error.name}: ${String(error.message).split('\n')[0]}`);
  }
}

async function main() {
  // 1. Every keras3 file: its InputLayer has `batch_shape`.
  await attempt('keras3 InputLayer', functional(
    [{ class_name: 'InputLayer', name: 'x', inbound_nodes: [], config: { batch_shape: [null, 4], dtype: 'float32', name: 'x' } }],
    ['x', 0, 0], ['x', 0, 0]), () => 'loaded');

  // 2. A tensor in a keras2 node's kwargs is not resolved, and its layer name is camel-cased.
  await attempt('keras2 Softmax(x, mask=m)', functional(
    [input('logits'), input('the_mask', [null, 4], 'bool'),
      { class_name: 'Softmax', name: 'softmax', config: { name: 'softmax', axis: -1 },
        inbound_nodes: [[['logits', 0, 0, { mask: ['the_mask', 0, 0] }]]] }],
    [['logits', 0, 0], ['the_mask', 0, 0]], [['softmax', 0, 0]]),
  (model) => `loaded; the call's mask is ${JSON.stringify(model.getLayer('softmax').inboundNodes[0].callArgs.mask)}`);

  // 3. Inputs or outputs written as a dict (keras2 dict models).
  await attempt('keras2 dict inputs', functional([input('a')], { a: ['a', 0, 0] }, [['a', 0, 0]]), () => 'loaded');

  // 4. A node written as a bare entry (keras2 TFOpLambda keeps its input structure): tfjs iterates the
  //    entry's characters, never finds layer "i", and its node loop (no progress check) spins forever.
  const bare = functional(
    [input('input_2'), { class_name: 'Dense', name: 'd', config: { name: 'd', units: 2 },
      inbound_nodes: [['input_2', 0, 0, {}]] }],
    [['input_2', 0, 0]], [['d', 0, 0]]);
  const child = spawnSync(process.execPath, ['-e', `
    for (const m of ['log','info','warn']) console[m] = () => {};
    const tf = require(${JSON.stringify(path.join(__dirname, '../readers/tfjs-layers/node_modules/@tensorflow/tfjs'))});
    tf.models.modelFromJSON(${JSON.stringify(bare)}).then(() => process.stdout.write('loaded'));`],
  { timeout: 10000, encoding: 'utf8' });
  say('keras2 bare-entry node', child.error && child.error.code === 'ETIMEDOUT'
    ? 'no answer within 10 s (the node loop spins)' : `${child.stdout}${child.stderr.split('\n')[0]}`);
}

main();
