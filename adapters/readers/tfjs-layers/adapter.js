#!/usr/bin/env node
// tfjs-layers (@tensorflow/tfjs 4.22.0) on the kerasspec harness protocol (spec/protocol.md).
//
//   node adapter.js               tf.models.modelFromJSON exactly as a user calls it
//   node adapter.js --stand-ins   the same loader, past what stops it before the wiring (README.md)
//
// Each case: JSON.parse the text (as tfjs's own model.json fetch does), tf.models.modelFromJSON on the
// topology (no weights), then the canonical document read from the LOADED model: every layer's
// inbound nodes that belong to the model, their input tensors and call arguments. An exception from
// tfjs is the reader refusing the file (a rejection with its first line); an exception from the code
// below that reads the loaded model is an adapter bug and ends the process (the harness records a
// crash), so it can never pass for the reader's behaviour.
'use strict';

// tfjs prints a greeting with console.log in Node; stdout is the protocol, so every console goes to stderr.
for (const method of ['log', 'info', 'warn', 'debug']) {
  console[method] = (...parts) => process.stderr.write(parts.join(' ') + '\n');
}

const readline = require('node:readline');
const tf = require('@tensorflow/tfjs');
const { version: TFJS_VERSION } = require('@tensorflow/tfjs/package.json');
const standIns = require('./stand-ins.js');

const PROTOCOL_VERSION = 1;
const STAND_INS = process.argv.includes('--stand-ins');
const IMPLEMENTATION = {
  name: STAND_INS ? 'tfjs-layers modelFromJSON (stand-in layers)' : 'tfjs-layers modelFromJSON',
  version: TFJS_VERSION,
  language: 'javascript',
  homepage: 'https://github.com/tensorflow/tfjs/tree/master/tfjs-layers',
};

class Rejected extends Error {
  constructor(error) {
    const first = String((error && error.message) || error).split('\n')[0].slice(0, 300);
    super(`${(error && error.name) || 'Error'}: ${first}`);
    this.code = 'load-error';
  }
}

// The wire format of the file, only to pick the conventions of the answer (the wiring itself comes
// from the loaded model): the spec's detection rule (spec/envelope.md#format-detection, as
// kerasspec.parser.detect_format): keras_version, else the first node (keras3 nodes are objects with
// `args`), else the InputLayer's batch_shape (keras3) or batch_input_shape (keras2), else a Sequential
// config with `trainable` and no `input_layers` is keras3.
function allLayers(config) {
  const found = [];
  const pending = [config];
  while (pending.length) {
    const cfg = pending.pop();
    const layers = (cfg && cfg.config && Array.isArray(cfg.config.layers)) ? cfg.config.layers : [];
    for (const layer of layers) {
      if (layer && typeof layer === 'object') {
        found.push(layer);
        pending.push(layer);
      }
    }
  }
  return found;
}

function fileFormat(config) {
  if (config && typeof config.keras_version === 'string') {
    // Keras 1 and tfjs-layers files are keras2 too (spec/envelope.md#format-detection).
    return /^(1|2)(\.|$)|^tfjs-layers/.test(config.keras_version) ? 'keras2' : 'keras3';
  }
  const layers = allLayers(config);
  for (const layer of layers) {
    const nodes = layer.inbound_nodes;
    if (Array.isArray(nodes) && nodes.length) {
      const node = nodes[0];
      return node && !Array.isArray(node) && typeof node === 'object' && 'args' in node ? 'keras3' : 'keras2';
    }
  }
  for (const layer of layers) {
    if (layer.class_name !== 'InputLayer' || !layer.config) continue;
    if ('batch_shape' in layer.config) return 'keras3';
    if ('batch_input_shape' in layer.config) return 'keras2';
  }
  const inner = config && config.config;
  return inner && typeof inner === 'object' && 'trainable' in inner && !('input_layers' in inner) ? 'keras3' : 'keras2';
}

// ---------------------------------------------------------------- the loaded model as a document
function isModel(layer) {
  return layer instanceof tf.LayersModel;
}

function isInputLayer(layer) {
  return layer.getClassName() === 'InputLayer';
}

// A layer's calls in `model`: its inbound nodes that the model holds (Container.nodeKey) and that
// have inputs (an InputLayer's own node has none), in order.
function callsOf(model, layer) {
  return layer.inboundNodes.filter((node, i) =>
    model.containerNodes.has(`${layer.name}_ib-${i}`) && node.inboundLayers.length > 0);
}

function reference(tensor, calls) {
  const layer = tensor.sourceLayer;
  if (isInputLayer(layer)) return { tensor: [layer.name, 0, tensor.tensorIndex] };
  const node = layer.inboundNodes[tensor.nodeIndex];
  const position = (calls.get(layer) || []).indexOf(node);
  if (position < 0) throw new Error(`tensor of ${layer.name} node ${tensor.nodeIndex} is not in the model`);
  return { tensor: [layer.name, position, tensor.tensorIndex] };
}

function value(raw, calls) {
  if (raw instanceof tf.SymbolicTensor) return reference(raw, calls);
  if (raw === null || raw === undefined) return { const: null };
  if (Array.isArray(raw)) return { list: raw.map((item) => value(item, calls)) };
  if (typeof raw === 'object') {
    const dict = {};
    for (const [key, item] of Object.entries(raw)) dict[key] = value(item, calls);
    return { dict };
  }
  return { const: raw };
}

// tfjs camel-cases every key of the topology on load (convertPythonicToTs: `initial_state` is held as
// `initialState`) and snake-cases them back when it writes Keras JSON (convertTsToPythonic). The
// document names call arguments as Keras does, so kwargs keys go back through tfjs's own inverse,
// generic_utils.toSnakeCase (not exported by the package; these lines are its body).
function toSnakeCase(name) {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return insecure[0] !== '_' ? insecure : 'private' + insecure;
}

// tfjs's RNN.apply finds initial states and constants among the inputs (standardizeArgs) and also
// records them in the call's kwargs (`initialState`, `constants`); its own getConfig drops kwargs that
// hold tensors. A kwarg made only of tensors that are already inputs of the node is that copy, not
// an argument of the file, and is left out (the inputs keep them).
function isCopyOfInputs(item, node) {
  const tensors = Array.isArray(item) ? item : [item];
  return tensors.length > 0 && tensors.every((t) => t instanceof tf.SymbolicTensor && node.inputTensors.includes(t));
}

function callKwargs(node, calls) {
  const kwargs = {};
  for (const [key, item] of Object.entries(node.callArgs || {})) {
    if (isCopyOfInputs(item, node)) continue;
    kwargs[toSnakeCase(key)] = value(item, calls);
  }
  return kwargs;
}

function layerConfigs(config) {
  return (config && config.config && config.config.layers) || [];
}

// tfjs keeps a model's inputs and outputs as flat lists, whatever the file's structure. keras2 always
// writes a single tensor as a list of one reference, and the spec reads such a list as that tensor
// (spec/canonical-graph.md, "From keras2"), so a list of one is expressed that way for keras2 files.
function io(tensors, calls, format) {
  return format === 'keras2' && tensors.length === 1 ? value(tensors[0], calls) : value(tensors, calls);
}

function modelDocument(model, config, format) {
  const sequential = model instanceof tf.Sequential;
  // tfjs lists a model's layers in its own (topological) order; the document follows the file's.
  // An input the graph never uses (e.g. one only referenced from kwargs, which tfjs does not resolve)
  // is in `inputLayers` but not in `layers`.
  // A Sequential's layers are those of its inner model once built (`model.model`), its InputLayer included.
  const live = sequential ? [...new Set([...(model.model ? model.model.layers : []), ...model.layers])]
    : [...new Set([...model.inputLayers, ...model.layers])];
  const byName = new Map(live.map((layer) => [layer.name, layer]));
  const calls = new Map(live.map((layer) => [layer, sequential ? [] : callsOf(model, layer)]));
  const layers = [];
  for (const layerConfig of layerConfigs(config)) {
    const name = layerConfig.name || (layerConfig.config && layerConfig.config.name);
    const layer = byName.get(name);
    if (layer === undefined) continue; // tfjs holds no such layer: the diff shows it missing
    const entry = {
      name,
      class_name: layerConfig.class_name,
      module: layerConfig.module === undefined ? null : layerConfig.module,
      calls: calls.get(layer).map((node) => ({
        args: [node.inputTensors.length === 1 ? value(node.inputTensors[0], calls)
          : value(node.inputTensors, calls)],
        kwargs: callKwargs(node, calls),
      })),
    };
    if (isModel(layer)) entry.model = modelDocument(layer, layerConfig, format);
    layers.push(entry);
  }
  return {
    class_name: config.class_name,
    name: model.name,
    inputs: sequential ? null : io(model.inputs, calls, format),
    outputs: sequential ? null : io(model.outputs, calls, format),
    layers,
  };
}

// ---------------------------------------------------------------- one case
async function read(text) {
  let config;
  let model;
  try {
    // A model.json that tf.io wrote holds the model JSON as `modelTopology` (a tfjs converter file, as
    // `modelTopology.model_config`), which modelFromJSON unwraps itself; its weightsManifest is left
    // out, as the corpus carries no weights (modelFromJSON would fetch them).
    config = JSON.parse(text);
    if (config && typeof config === 'object' && 'modelTopology' in config && !('config' in config)) {
      const topology = config.modelTopology;
      config = topology && topology.model_config != null ? topology.model_config : topology;
    }
    const topology = STAND_INS ? standIns.prepare(config) : config;
    model = await tf.models.modelFromJSON({ modelTopology: topology });
  } catch (error) {
    throw new Rejected(error);
  }
  const format = fileFormat(config);
  return { format, model: modelDocument(model, config, format) };
}

// ---------------------------------------------------------------- the protocol loop
function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function answer(request) {
  try {
    return { seq: request.seq, document: await read(request.text) };
  } catch (error) {
    if (error instanceof Rejected) return { seq: request.seq, error: { code: error.code, message: error.message } };
    throw error;
  } finally {
    tf.disposeVariables(); // each case builds fresh weights; keep memory flat over the corpus
  }
}

async function main() {
  await tf.setBackend('cpu');
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const request = JSON.parse(line);
    if (request.cmd === 'start') {
      reply({ version: PROTOCOL_VERSION, implementation: IMPLEMENTATION, formats: ['keras2', 'keras3'] });
    } else if (request.cmd === 'parse') {
      reply(await answer(request));
    } else if (request.cmd === 'stop') {
      break;
    }
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(70);
});
