#!/usr/bin/env node
// Minimal reproductions of Netron's Keras misreadings (adapters/findings/FINDINGS.md, N1-N9), without kerasspec:
// each model below is opened by Netron exactly as the adapter does (host.js), and what Netron's graph
// holds is printed: its inputs and outputs, and each node's input and output values. A value is named
// by keras.js `layer[node][tensor]`; "<- nothing" marks a value no node of the graph produces.
//
//   node adapters/readers/netron/findings.js
'use strict';

const { Netron, NETRON_VERSION } = require('./host.js');

// ---------------------------------------------------------------- small model builders
const input2 = (name) => ({ class_name: 'InputLayer', name, config: { name, batch_input_shape: [null, 4] }, inbound_nodes: [] });
const input3 = (name) => ({ class_name: 'InputLayer', name, config: { name, batch_shape: [null, 4] }, inbound_nodes: [] });
const layer = (class_name, name, inbound_nodes, config = {}) => ({ class_name, name, config: { name, ...config }, inbound_nodes });
const tensor = (name, node = 0, index = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [name, node, index] } });
const functional = (name, layers, input_layers, output_layers, extra = {}) => ({ class_name: 'Functional', config: { name, layers, input_layers, output_layers }, ...extra });
const keras2 = (model) => ({ ...model, keras_version: '2.21.0' });

const CASES = [
  ['N1 keras2: a tensor in an entry\'s kwargs (Softmax()(logits, mask=m))', 'keras2/tf_keras-2.21.0/softmax-mask',
    keras2(functional('m', [input2('logits'), input2('mask'),
      layer('Softmax', 'softmax', [[['logits', 0, 0, { mask: ['mask', 0, 0] }]]])],
    [['logits', 0, 0], ['mask', 0, 0]], [['softmax', 0, 0]]))],
  ['N1 keras2: MultiHeadAttention()(q, v) writes v in the kwargs', 'keras2/tf_keras-2.21.0/smoke-mha-positional',
    keras2(functional('m', [input2('q'), input2('v'),
      layer('MultiHeadAttention', 'mha', [[['q', 0, 0, { value: ['v', 0, 0] }]]], { num_heads: 1, key_dim: 2 })],
    [['q', 0, 0], ['v', 0, 0]], [['mha', 0, 0]]))],
  ['N2 keras3: tensors passed by keyword (mha(query=q, value=v), softmax(x, mask=m))', 'keras3/keras-3.15.1/mha-keyword',
    functional('m', [input3('q'), input3('v'),
      layer('MultiHeadAttention', 'mha', [{ args: [], kwargs: { query: tensor('q'), value: tensor('v') } }], { num_heads: 1, key_dim: 2 }),
      layer('Softmax', 'softmax', [{ args: [tensor('q')], kwargs: { mask: tensor('v') } }])],
    [['q', 0, 0], ['v', 0, 0]], [['mha', 0, 0], ['softmax', 0, 0]])],
  ['N3 keras3: a nested model in output_layers (numbered from 1 there, from 0 in nodes)', 'keras3/keras-3.15.1/nested-multi-input',
    functional('outer', [input3('a'),
      { ...functional('inner', [input3('i'), layer('Dense', 'd', [{ args: [tensor('i')], kwargs: {} }], { units: 4 })],
        [['i', 0, 0]], [['d', 0, 0]]), name: 'inner', inbound_nodes: [{ args: [tensor('a')], kwargs: {} }] }],
    [['a', 0, 0]], ['inner', 1, 0])],
  ['N4 keras2: dict input_layers / output_layers', 'keras2/tf_keras-2.21.0/dict-inputs-and-outputs',
    keras2(functional('m', [input2('a'), input2('b'), layer('Add', 'add', [[['a', 0, 0, {}], ['b', 0, 0, {}]]])],
      { a: ['a', 0, 0], b: ['b', 0, 0] }, { sum: ['add', 0, 0] }))],
  ['N5 keras2: nested input_layers / output_layers ([a, [b, c]])', 'keras2/tf_keras-2.21.0/nested-inputs',
    keras2(functional('m', [input2('a'), input2('b'), input2('c'),
      layer('Add', 'add', [[['a', 0, 0, {}], ['b', 0, 0, {}], ['c', 0, 0, {}]]])],
    [['a', 0, 0], [['b', 0, 0], ['c', 0, 0]]], [['add', 0, 0], [['a', 0, 0], ['b', 0, 0]]]))],
  ['N6 keras2: a layer called on a dict (the node is a JSON object)', 'keras2/tf_keras-2.21.0/custom-dict-first-arg',
    keras2(functional('m', [input2('a'), input2('b'),
      layer('Pair', 'pair', [{ left: ['a', 0, 0, {}], right: ['b', 0, 0, {}] }])],
    [['a', 0, 0], ['b', 0, 0]], [['pair', 0, 0]]))],
  ['N7 keras2: a constant first argument (tf.math.add(2.0, x))', 'keras2/tf_keras-2.21.0/tfop-const-first',
    keras2(functional('m', [input2('x'),
      layer('TFOpLambda', 'tf.math.add', [['_CONSTANT_VALUE', -1, 2.0, { y: ['x', 0, 0] }]], { function: 'math.add' })],
    [['x', 0, 0]], [['tf.math.add', 0, 0]]))],
  ['N8 keras2: a scalar operand in kwargs (x + 3.0)', 'keras2/tf_keras-2.21.0/app-mobilenetv3small',
    keras2(functional('m', [input2('x'),
      layer('TFOpLambda', 'tf.__operators__.add', [['x', 0, 0, { y: 3.0, name: null }]], { function: '__operators__.add' })],
    [['x', 0, 0]], [['tf.__operators__.add', 0, 0]]))],
  ['N9 invalid: a reference to a layer that does not exist, and a cycle', 'invalid/keras2/dangling-entry-layer, invalid/keras2/cycle-self',
    keras2(functional('m', [input2('x'),
      layer('Dense', 'd', [[['nope', 0, 0, {}]]], { units: 4 }),
      layer('Dense', 'loop', [[['loop', 0, 0, {}]]], { units: 4 })],
    [['x', 0, 0]], [['d', 0, 0]]))],
];

// ---------------------------------------------------------------- printing Netron's graph
function describe(graph, produced, indent) {
  const show = (values) => values.map((v) => {
    if (v.initializer) return `constant ${JSON.stringify(v.initializer.values)}`;
    return produced.has(v) ? v.name : `${v.name} <- nothing`;
  }).join(', ');
  const lines = [];
  lines.push(`${indent}inputs:  ${graph.inputs.map((a) => `${JSON.stringify(a.name)} = [${show(a.value)}]`).join('; ') || '(none)'}`);
  lines.push(`${indent}outputs: ${graph.outputs.map((a) => `${JSON.stringify(a.name)} = [${show(a.value)}]`).join('; ') || '(none)'}`);
  for (const node of graph.nodes) {
    const ins = node.inputs.map((a) => `${a.name}: [${show(a.value)}]`).join('; ');
    const outs = node.outputs.map((a) => `[${a.value.map((v) => v.name).join(', ')}]`).join(' ');
    lines.push(`${indent}node ${JSON.stringify(node.name)} (${node.type.name}): in ${ins || '(none)'} -> out ${outs || '(none)'}`);
  }
  return lines;
}

async function main() {
  const netron = new Netron();
  for (const [title, corpusCase, model] of CASES) {
    console.log(`== ${title}\n   corpus: ${corpusCase}`);
    let opened;
    try {
      opened = await netron.open(JSON.stringify(model));
    } catch (error) {
      console.log(`   [netron ${NETRON_VERSION}] rejected: ${error.message}`);
      continue;
    }
    const [graph] = opened.modules;
    const produced = new Set(graph.inputs.flatMap((a) => a.value));
    for (const node of graph.nodes) for (const a of node.outputs) for (const v of a.value) produced.add(v);
    for (const line of describe(graph, produced, `   [netron ${NETRON_VERSION}] `)) console.log(line);
  }
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(70);
});
