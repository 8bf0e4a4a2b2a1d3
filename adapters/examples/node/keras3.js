// A deliberately small reader of the keras3 wire format (Keras 3 `model.to_json()`), written from
// the spec for this example: it maps each layer's `inbound_nodes` to canonical calls.
//
// What it does NOT do (so the suite shows what a simple reader gets wrong):
// - keras2 files (tf.keras / tf_keras): not read at all, and not declared in FORMATS;
// - node-index renumbering for nested models (spec/canonical-graph.md): the wire node index is taken
//   as the call index, which is wrong where Keras numbers a nested model's nodes from 1;
// - NaN / Infinity tokens: JSON.parse rejects them, so such files are reported as not-json;
// - cycles, limits, duplicate names: not checked (malformed layers and nodes are rejected, see `model`).
'use strict';

class RejectedModel extends Error {
  constructor(code, message, path) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

function isTriple(value) {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string';
}

// A value of a call (args/kwargs) to a canonical Value.
function value(raw, path) {
  if (Array.isArray(raw)) return { list: raw.map((item, i) => value(item, `${path}[${i}]`)) };
  if (raw !== null && typeof raw === 'object') {
    if (raw.class_name === '__keras_tensor__') {
      const history = raw.config && raw.config.keras_history;
      if (!isTriple(history)) throw new RejectedModel('bad-entry', 'keras_history must be [layer, node, tensor]', path);
      return { tensor: [history[0], history[1], history[2]] };
    }
    if ('class_name' in raw) return { object: raw };
    const dict = {};
    for (const [key, item] of Object.entries(raw)) dict[key] = value(item, `${path}.${key}`);
    return { dict };
  }
  return { const: raw };
}

// input_layers / output_layers: a triple, a list of them, or a dict of them.
function endpoints(raw) {
  if (raw === undefined || raw === null) return null;
  if (isTriple(raw)) return { tensor: [raw[0], raw[1], raw[2]] };
  if (Array.isArray(raw)) return { list: raw.map(endpoints) };
  const dict = {};
  for (const [key, item] of Object.entries(raw)) dict[key] = endpoints(item);
  return { dict };
}

function model(raw, path) {
  const config = raw.config;
  if (!config || !Array.isArray(config.layers)) {
    throw new RejectedModel('not-a-model', 'expected a model with config.layers', path);
  }
  const sequential = raw.class_name === 'Sequential';
  config.layers.forEach((layer, i) => {
    // Check shapes before use: a malformed file must be rejected with a code, not crash the reader.
    if (layer === null || typeof layer !== 'object' || !layer.config || typeof layer.config.name !== 'string') {
      throw new RejectedModel('bad-layer', 'a layer is an object with config.name', `${path}.config.layers[${i}]`);
    }
    if (layer.inbound_nodes !== undefined && !Array.isArray(layer.inbound_nodes)) {
      throw new RejectedModel('bad-node', 'inbound_nodes must be a list', `${path}.config.layers[${i}].inbound_nodes`);
    }
  });
  const names = new Set(config.layers.map((layer) => layer.config.name));
  const layers = config.layers.map((layer, i) => {
    const where = `${path}.config.layers[${i}]`;
    const nodes = sequential ? [] : layer.inbound_nodes || [];
    const calls = nodes.map((node, j) => {
      if (!node || !Array.isArray(node.args)) throw new RejectedModel('bad-node', 'a keras3 node is {args, kwargs}', `${where}.inbound_nodes[${j}]`);
      const kwargs = {};
      for (const [key, item] of Object.entries(node.kwargs || {})) kwargs[key] = value(item, `${where}.inbound_nodes[${j}].kwargs.${key}`);
      return { args: node.args.map((arg, k) => value(arg, `${where}.inbound_nodes[${j}].args[${k}]`)), kwargs };
    });
    for (const call of calls) checkReferences(call, names, where);
    const result = { name: layer.config.name, class_name: layer.class_name, module: layer.module ?? null, calls };
    if (layer.config && Array.isArray(layer.config.layers)) result.model = model(layer, where);
    return result;
  });
  return {
    class_name: raw.class_name,
    name: config.name,
    inputs: sequential ? null : endpoints(config.input_layers),
    outputs: sequential ? null : endpoints(config.output_layers),
    layers,
  };
}

function checkReferences(found, names, where) {
  if (Array.isArray(found)) return found.forEach((item) => checkReferences(item, names, where));
  if (found === null || typeof found !== 'object') return;
  if (found.tensor && !names.has(found.tensor[0])) {
    throw new RejectedModel('dangling-reference', `no layer named '${found.tensor[0]}'`, where);
  }
  if (found.object) return;
  Object.values(found).forEach((item) => checkReferences(item, names, where));
}

function read(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RejectedModel('not-json', error.message, '$');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RejectedModel('not-a-model', 'a model JSON is an object', '$');
  }
  return { format: 'keras3', model: model(raw, '$') };
}

module.exports = { read, RejectedModel };
