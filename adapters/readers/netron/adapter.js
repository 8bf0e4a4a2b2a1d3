#!/usr/bin/env node
// Netron's Keras reader (PyPI `netron` 9.3.3, netron/keras.js) on the kerasspec harness protocol
// (spec/protocol.md). README.md says what is read from Netron and how it becomes the canonical document.
//
//   node adapter.js [--netron DIR]    DIR: the wheel's `netron/` folder (default: what scripts/test installs)
//
// Each case goes through Netron's own opening path, as the viewer opens a file named `model.json`
// (host.js: the stand-in host). An exception from Netron is a rejection (its first line); an exception
// from the code that reads Netron's graph is an adapter bug and ends the process (the harness records a
// crash), so it can never pass for Netron's behaviour.
'use strict';

const path = require('node:path');
const readline = require('node:readline');
const { Netron, NETRON_VERSION } = require('./host.js');

const PROTOCOL_VERSION = 1;
const option = process.argv.indexOf('--netron');
const netron = option > 0 ? new Netron(path.resolve(process.argv[option + 1])) : new Netron();
const IMPLEMENTATION = {
  name: 'netron keras.js',
  version: NETRON_VERSION,
  language: 'javascript',
  homepage: 'https://github.com/lutzroeder/netron',
};

class Rejected extends Error {
  constructor(error) {
    const first = String((error && error.message) || error).split('\n')[0].slice(0, 300);
    super(`${(error && error.name) || 'Error'}: ${first}`);
    this.code = 'load-error';
  }
}

async function open(text) {
  try {
    return await netron.open(text);
  } catch (error) {
    throw new Rejected(error);
  }
}

// ---------------------------------------------------------------- the answer's conventions
// The wire format is only the answer's `format` member (Netron's graph does not say which format it
// read); everything else comes from Netron's graph. spec/envelope.md#format-detection, rules 1-5.
function fileFormat(envelope) {
  if (envelope && typeof envelope.keras_version === 'string') {
    return envelope.keras_version.startsWith('2') ? 'keras2' : 'keras3';
  }
  const layers = [];
  const walk = (config) => {
    for (const layer of (config && config.config && Array.isArray(config.config.layers)) ? config.config.layers : []) {
      if (layer && typeof layer === 'object') {
        layers.push(layer);
        walk(layer);
      }
    }
  };
  walk(envelope);
  const node = layers.map((l) => l.inbound_nodes).find((nodes) => Array.isArray(nodes) && nodes.length);
  if (node) {
    const first = node[0];
    const keys = first && typeof first === 'object' && !Array.isArray(first) ? Object.keys(first) : [];
    return keys.includes('args') && keys.every((k) => k === 'args' || k === 'kwargs') ? 'keras3' : 'keras2';
  }
  const input = layers.find((l) => l.class_name === 'InputLayer' && l.config);
  if (input && ('batch_shape' in input.config || 'batch_input_shape' in input.config)) {
    return 'batch_shape' in input.config ? 'keras3' : 'keras2';
  }
  const inner = envelope && envelope.config;
  if (envelope && envelope.class_name === 'Sequential' && inner && typeof inner === 'object') {
    return 'trainable' in inner || 'dtype' in inner ? 'keras3' : 'keras2';
  }
  return envelope && (envelope.module || envelope.registered_name) ? 'keras3' : 'keras2';
}

// The file's layer list: only its order and each layer's class_name and module are taken from it
// (Netron's graph has no module, names TFOpLambda nodes after their function, and does not keep where
// the InputLayers it turns into graph inputs stood). Which layers there are, and all wiring, is Netron's.
function fileLayers(config) {
  const inner = config && config.config;
  const layers = Array.isArray(inner) ? inner : (inner && Array.isArray(inner.layers) ? inner.layers : []);
  const byName = new Map();
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    const name = layer.name || (layer.config && layer.config.name);
    if (typeof name === 'string' && !byName.has(name)) byName.set(name, layer);
  }
  return byName;
}

// ---------------------------------------------------------------- Netron's graph as a document
const isGraph = (type) => Boolean(type) && Array.isArray(type.nodes) && Array.isArray(type.inputs);

function strip(name, group) {
  return group && name.startsWith(`${group}/`) ? name.slice(group.length + 1) : name;
}

// A Netron value that is not a tensor of the graph: a constant Netron built from the file's data.
function plain(data) {
  if (data === null || data === undefined) return { const: null };
  if (Array.isArray(data)) return { list: data.map(plain) };
  if (typeof data === 'object') {
    if (typeof data.class_name === 'string') return { object: data };
    return { dict: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, plain(v)])) };
  }
  if (typeof data === 'bigint') return { const: Number(data) };
  return { const: data };
}

function constant(initializer) {
  const data = initializer.values;
  const dims = (initializer.type && initializer.type.shape && initializer.type.shape.dimensions) || [];
  if (!Array.isArray(data)) return plain(data);
  // Netron keeps a constant flat with its shape; nested back by that shape when the sizes agree.
  const size = dims.reduce((a, b) => a * b, 1);
  if (dims.length === 0 || size !== data.length || !dims.every(Number.isInteger)) return plain(data);
  const nest = (offset, level) => {
    if (level === dims.length) return data[offset];
    const stride = dims.slice(level + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[level] }, (_, i) => nest(offset + i * stride, level + 1));
  };
  return plain(nest(0, 0));
}

// One Netron graph (keras.Graph) as a canonical Model. `group` is the prefix Netron puts on the node
// names of a nested model's graph.
function graphModel(graph, config, group) {
  const sequential = graph.description === 'Sequential';
  const file = fileLayers(config);
  const order = [];                 // layer names as Netron shows them, in its order
  const calls = new Map();          // layer name -> [Netron node], one per call
  const models = new Map();         // layer name -> the nested graph Netron built for it
  const shown = new Map();          // layer name -> Netron's type name (for a layer the file does not have)
  const producers = new Map();      // Netron value -> {tensor: [...]}
  let unnamed = 0;
  const see = (name, typeName) => {
    if (!calls.has(name)) {
      calls.set(name, []);
      order.push(name);
      shown.set(name, typeName);
    }
  };
  for (const argument of graph.inputs) {
    // An argument's name is what the viewer prints: keras.js names a graph input after the first item
    // of its `input_layers` entry, which is not always a string (a nested entry gives an array).
    const name = String(argument.name);
    // keras.js names a Sequential's input `input` when its first layer is not an InputLayer: no layer.
    if (sequential && !file.has(name)) continue;
    see(name, 'InputLayer');
    for (const value of argument.value) producers.set(value, { tensor: [name, 0, 0] });
  }
  for (const node of graph.nodes) {
    const nested = isGraph(node.type) ? node.type : null;
    // A layer called once is a node named after it (a nested model's type is its graph, named after
    // it); a layer called several times is one node per call, `name[i]`, whose type is a graph named
    // after the layer (keras.js wraps a plain layer in a `__Function__` graph).
    const typeName = nested ? (nested.type === 'function' ? (nested.nodes[0] && nested.nodes[0].type.name) : nested.description) : node.type.name;
    // keras.js names a node after its layer's `config.name`; a keras3 `keras.ops` layer has none, so
    // Netron shows the node without a name. It stays a layer of its own, under a name no file has.
    const name = (nested ? nested.name : strip(node.name, group)) || `(unnamed ${typeName} node ${++unnamed})`;
    see(name, typeName);
    // A nested model called once: its graph's node names carry this node's name as a prefix, and the
    // node has one `inputs` and one `outputs` argument listing the used outputs (not by index).
    const once = nested !== null && nested.type !== 'function' && strip(node.name, group) === nested.name;
    if (nested && nested.type !== 'function' && !models.has(name)) models.set(name, { graph: nested, group: once ? node.name : '' });
    const inputLayer = !nested && node.type.name === 'InputLayer';
    const index = inputLayer ? 0 : calls.get(name).length;
    if (!inputLayer && !sequential) calls.get(name).push(node);
    node.outputs.forEach((argument, i) => {
      argument.value.forEach((value, j) => {
        if (!producers.has(value)) producers.set(value, { tensor: [name, index, once ? j : i] });
      });
    });
  }
  const reference = (value) => {
    if (producers.has(value)) return producers.get(value);
    if (value.initializer) return constant(value.initializer);
    // A value no node of the graph produces: Netron draws an edge from nowhere.
    return { object: { class_name: '__netron_unconnected__', value: value.name } };
  };
  const io = (args) => {
    const values = args.flatMap((argument) => argument.value.map(reference));
    // Netron makes `input_layers`/`output_layers` a list; one tensor is written alone (keras2: the spec
    // reads a list of one as that tensor; keras3: a bare triple since Keras 3.11).
    return values.length === 1 ? values[0] : { list: values };
  };
  const call = (node) => {
    const values = node.inputs.flatMap((argument) => argument.value.map(reference));
    return { args: values.length === 0 ? [] : [values.length === 1 ? values[0] : { list: values }], kwargs: {} };
  };
  const layers = [];
  const emit = (name) => {
    const layer = file.get(name);
    const entry = {
      name,
      class_name: layer && typeof layer.class_name === 'string' ? layer.class_name : shown.get(name),
      module: layer && typeof layer.module === 'string' ? layer.module : null,
      calls: calls.get(name).map(call),
    };
    if (models.has(name)) {
      const { graph: inner, group: innerGroup } = models.get(name);
      entry.model = graphModel(inner, layer, innerGroup);
    }
    layers.push(entry);
  };
  // The file's order for the layers Netron shows; a layer Netron shows that the file does not name
  // (none expected) comes last, so the diff shows it.
  for (const name of file.keys()) if (calls.has(name)) emit(name);
  for (const name of order) if (!file.has(name)) emit(name);
  return {
    class_name: graph.description,
    name: graph.name,
    inputs: sequential ? null : io(graph.inputs),
    outputs: sequential ? null : io(graph.outputs),
    layers,
  };
}

// ---------------------------------------------------------------- one case
async function read(text) {
  const model = await open(text);
  // The file itself, for what README.md lists as taken from it; Netron has already accepted the text.
  let envelope = null;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = null; // a text Netron's JSON reader takes and JSON.parse does not: nothing from the file
  }
  const config = envelope && envelope.model_config ? envelope.model_config : envelope;
  const [graph] = model.modules;
  return { format: fileFormat(envelope), model: graphModel(graph, config, '') };
}

// ---------------------------------------------------------------- the protocol loop
// The reply to one request (null: none, and for `stop` the end of the loop). Only a rejection by
// Netron becomes an error reply; anything else thrown propagates and ends the process.
async function respond(request) {
  switch (request.cmd) {
    case 'start':
      await netron.load(); // a missing install fails the start, not a case
      return { version: PROTOCOL_VERSION, implementation: IMPLEMENTATION, formats: ['keras2', 'keras3'] };
    case 'parse':
      return read(request.text).then(
        (document) => ({ seq: request.seq, document }),
        (error) => {
          if (!(error instanceof Rejected)) throw error;
          return { seq: request.seq, error: { code: error.code, message: error.message } };
        });
    default:
      return null;
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const request = JSON.parse(line);
    if (request.cmd === 'stop') break;
    const message = await respond(request);
    if (message !== null) process.stdout.write(JSON.stringify(message) + '\n');
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(70);
});
