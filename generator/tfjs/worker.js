// The tfjs-layers producer's worker: generator/_worker.py's counterpart for TensorFlow.js.
//
// Started by the orchestrator as `node generator/tfjs/worker.js REQUEST.json`, with NODE_PATH set to
// the producer's node_modules (.cache/producers/tfjs-layers-<version>/node_modules). For each recipe
// of the request it runs itself once more (`--recipe NAME`): a fresh process gives fresh tfjs-layers
// name counters, so a weight's name in the file does not depend on which recipes ran before. Each
// recipe gives one JSON line in the request's `out` file, in the shape generator/_worker.py writes:
//
//   {"recipe", "status": "ok" | "unbuildable", "error",
//    "containers": {"to_json": TEXT}, "notes": {container: why it is missing},
//    "expected": {"to_json": canonical document}, "live": {"to_json": document} (lossy only),
//    "unreadable": {}}
//
// and prints `@@ <recipe>` on stdout when it starts one (the progress display reads it).
//
// `to_json` is the model.json that tf.io writes for `model.save()`: the request body of tf.io.http
// (the same getModelJSONForModelArtifacts as browserDownloads), captured by a fetch function, so the
// bytes are tfjs's own: {modelTopology, format, generatedBy, convertedBy, weightsManifest}. Its
// modelTopology is what `model.toJSON()` returns (checked).
//
// The canonical document comes from the LIVE objects: each layer's inboundNodes (inboundLayers,
// nodeIndices, tensorIndices, callArgs), the model's containerNodes, inputLayers/outputLayers with
// their node and tensor indices. Only each layer's class_name is copied from the file's config of
// that layer (matched by position, the name checked). Where the file cannot say what the live model
// held (the `expected` document reads the file as the spec does; `live` is the model as built):
//
// 1. A node of one entry reads as that single tensor; several as a list (tfjs-layers calls every
//    layer on a flat list of tensors, the RNN's initial states appended to it).
// 2. Call keyword arguments are written as `Container.getConfig` writes them: the whole callArgs when
//    JSON.stringify takes it, else `{}` (tensors in them: a mask, an initial state); string values go
//    through convertTsToPythonic (snake_case), undefined becomes null. Their keys are snake_cased in
//    both documents: `initialState` is the Python parameter `initial_state`, as tfjs-layers names it
//    in the file and reads it back (the name is not lost).
// 3. References name calls: the position of the node among the layer's nodes that belong to this
//    model and have inputs (InputLayer: [name, 0, i]). tfjs-layers writes every nested model's calls
//    counted from 1 (`buildNodeConversionMap`); the document counts from 0, as the spec reads it.
// 4. Inputs and outputs: one tensor is that tensor, several a list (tfjs-layers keeps flat lists);
//    one whose node is not in the model's graph (an input that only feeds a mask) is not written.
// 5. A Sequential's own layers have calls [] and its inputs and outputs are null.
'use strict';

const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');

const {recipes: recipeTable, NOT_IN_TFJS} = require('./recipes.js');

function firstLine(error) {
  const text = String((error && error.message) || error).trim().split('\n');
  return (text[0] || '').slice(0, 300);
}

function errorText(error) {
  const name = (error && error.constructor && error.constructor.name) || 'Error';
  return `${name}: ${firstLine(error)}`;
}

// --------------------------------------------------------------------------- the file tf.io writes
async function savedModelJson(tf, model) {
  let body = null;
  const capture = async (url, init) => {
    body = await init.body.get('model.json').text();
    return new Response('{}', {status: 200});
  };
  await model.save(tf.io.http('http://kerasspec.invalid/model', {fetchFunc: capture}));
  return body;
}

// --------------------------------------------------------------------------- python names
// tfjs-layers' generic_utils.toSnakeCase, as convertTsToPythonic applies it to keys and strings.
function toSnakeCase(name) {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return insecure[0] !== '_' ? insecure : 'private' + insecure;
}

// --------------------------------------------------------------------------- live graph
class Graph {
  constructor(tfl) {
    this.tfl = tfl;
  }

  document(model, topology) {
    return {
      expected: {format: 'keras2', model: this.model(model, topology, true)},
      live: {format: 'keras2', model: this.model(model, topology, false)},
    };
  }

  isModel(layer) {
    return layer instanceof this.tfl.LayersModel;
  }

  isSequential(layer) {
    return layer instanceof this.tfl.Sequential;
  }

  static isInputLayer(layer) {
    return layer.getClassName() === 'InputLayer';
  }

  static nodeKey(layer, index) {
    return `${layer.name}_ib-${index}`;
  }

  model(model, config, wire) {
    const layerConfigs = config.config.layers;
    const sequential = this.isSequential(model);
    const layers = model.layers;
    const written = layerConfigs.map((c) => (typeof c.name === 'string' ? c.name : c.config.name));
    if (layers.length !== written.length || layers.some((layer, i) => layer.name !== written[i])) {
      throw new Error(`live layer order ${layers.map((l) => l.name)} differs from the config's ${written}`);
    }
    const calls = new Map(); // layer -> its nodes that are calls in this model
    const index = new Map(); // node -> its position among its layer's calls
    if (!sequential) {
      for (const layer of layers) {
        const own = layer.inboundNodes.filter(
          (node, i) => model.containerNodes.has(Graph.nodeKey(layer, i)) && node.inboundLayers.length > 0
        );
        calls.set(layer, own);
        own.forEach((node, i) => index.set(node, i));
      }
    }
    const entries = layers.map((layer, i) => {
      const entry = {
        name: layer.name,
        class_name: layerConfigs[i].class_name,
        module: null,
        calls: sequential ? [] : calls.get(layer).map((node) => this.call(node, index, wire)),
      };
      if (this.isModel(layer)) entry.model = this.model(layer, layerConfigs[i], wire);
      return entry;
    });
    const doc = {class_name: config.class_name, name: model.name, inputs: null, outputs: null, layers: entries};
    if (!sequential) {
      doc.inputs = this.io(model, model.inputLayers, model.inputLayersNodeIndices, model.inputLayersTensorIndices, index, wire);
      doc.outputs = this.io(model, model.outputLayers, model.outputLayersNodeIndices, model.outputLayersTensorIndices, index, wire);
    }
    return doc;
  }

  tensor(layer, nodeIndex, tensorIndex, index) {
    if (Graph.isInputLayer(layer)) return {tensor: [layer.name, 0, tensorIndex]};
    const node = layer.inboundNodes[nodeIndex];
    if (!index.has(node)) throw new Error(`tensor from ${layer.name} node ${nodeIndex} is not in the model`);
    return {tensor: [layer.name, index.get(node), tensorIndex]};
  }

  io(model, layers, nodeIndices, tensorIndices, index, wire) {
    // getConfig leaves out an input or output whose node is not in the model's graph (an input that
    // only feeds a mask): the file lists the others (lossy).
    const kept = layers
      .map((layer, i) => [layer, nodeIndices[i], tensorIndices[i]])
      .filter(([layer, nodeIndex]) => !wire || model.containerNodes.has(Graph.nodeKey(layer, nodeIndex)));
    const tensors = kept.map(([layer, nodeIndex, tensorIndex]) => this.tensor(layer, nodeIndex, tensorIndex, index));
    return tensors.length === 1 ? tensors[0] : {list: tensors};
  }

  call(node, index, wire) {
    const tensors = node.inboundLayers.map((layer, i) =>
      this.tensor(layer, node.nodeIndices[i], node.tensorIndices[i], index)
    );
    const arg = tensors.length === 1 ? tensors[0] : {list: tensors}; // rule 1
    let callArgs = node.callArgs || {};
    if (wire) {
      try {
        JSON.stringify(callArgs);
      } catch (error) {
        callArgs = {}; // rule 2: getConfig drops them whole, with a warning
      }
    }
    const kwargs = {};
    for (const [key, value] of Object.entries(callArgs)) {
      kwargs[toSnakeCase(key)] = this.value(value, index, wire);
    }
    return {args: [arg], kwargs};
  }

  value(v, index, wire) {
    if (v instanceof this.tfl.SymbolicTensor) {
      return this.tensor(v.sourceLayer, v.nodeIndex, v.tensorIndex, index);
    }
    if (v === null || v === undefined) return {const: null};
    if (typeof v === 'string') return {const: wire ? toSnakeCase(v) : v};
    if (typeof v === 'boolean' || typeof v === 'number') return {const: v};
    if (Array.isArray(v)) return {list: v.map((x) => this.value(x, index, wire))};
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out = {};
      for (const [key, x] of Object.entries(v)) out[toSnakeCase(key)] = this.value(x, index, wire);
      return {dict: out};
    }
    throw new Error(`cannot express a ${v.constructor ? v.constructor.name : typeof v} value`);
  }
}

// Canonical JSON text (sorted keys) to compare two documents.
function sortedText(value) {
  if (Array.isArray(value)) return `[${value.map(sortedText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedText(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

// --------------------------------------------------------------------------- one recipe
function notBuilt(name, excluded) {
  const why = excluded ? excluded[1] : 'no tfjs-layers version of this recipe is written (generator/tfjs/recipes.js)';
  return {recipe: name, status: 'unbuildable', error: `not built for tfjs-layers: ${why}`};
}

async function runRecipe(name) {
  const tf = require('@tensorflow/tfjs'); // registers the pure-JS CPU backend and the chained ops
  const tfl = require('@tensorflow/tfjs-layers');
  await tf.setBackend('cpu');
  const excluded = NOT_IN_TFJS.find(([pattern]) => pattern.test(name));
  const table = recipeTable(tfl);
  if (!(name in table)) return notBuilt(name, excluded);
  let model;
  let text;
  try {
    model = table[name]();
    text = await savedModelJson(tf, model);
  } catch (error) {
    return {recipe: name, status: 'unbuildable', error: errorText(error)};
  }
  const saved = JSON.parse(text);
  if (sortedText(saved.modelTopology) !== sortedText(model.toJSON(null, false))) {
    throw new Error('the saved modelTopology differs from model.toJSON()');
  }
  const {expected, live} = new Graph(tfl).document(model, saved.modelTopology);
  const lossy = sortedText(expected) !== sortedText(live);
  return {
    recipe: name,
    status: 'ok',
    containers: {to_json: text},
    notes: {
      'keras-archive': 'not written: tfjs-layers writes model.json and weight files, no .keras archive',
      h5: 'not written: tfjs-layers writes model.json and weight files, no .h5 file',
    },
    expected: {to_json: expected},
    live: lossy ? {to_json: live} : {},
    unreadable: {},
  };
}

// Every registered layer class's `call` parameters (spec/generated/call-parameters.md), read from its
// source: tfjs-layers calls are `call(inputs, kwargs)`, the keyword arguments one object (as **kwargs).
function callSignatures(tf, tfl) {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const out = {};
  for (const name of Object.keys(registered).sort()) {
    const cls = registered[name][0];
    if (!(cls.prototype instanceof tfl.layers.Layer) || cls.prototype instanceof tfl.LayersModel) continue;
    const source = cls.prototype.call.toString().match(/^(?:function\s*|call\s*)\(([^)]*)\)/);
    if (!source) throw new Error(`${name}.call: cannot read its parameters`);
    const params = source[1]
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p)
      .map((p, i) => ({name: p, kind: i > 0 && p === 'kwargs' ? 'VAR_KEYWORD' : 'POSITIONAL_OR_KEYWORD', default: null}));
    const bases = [];
    for (let base = Object.getPrototypeOf(cls); base && base.name; base = Object.getPrototypeOf(base)) bases.push(base.name);
    out[name] = {params, list_input: bases.includes('Merge')}; // the merge layers take a list of tensors
  }
  return out;
}

async function signatures(outPath) {
  const tf = require('@tensorflow/tfjs');
  const tfl = require('@tensorflow/tfjs-layers');
  fs.writeFileSync(outPath, JSON.stringify(callSignatures(tf, tfl)));
}

async function one(name) {
  let result;
  try {
    result = await runRecipe(name);
  } catch (error) {
    result = {recipe: name, status: 'failed', error: errorText(error), traceback: String(error.stack).slice(-3000)};
  }
  process.stdout.write('@@RESULT ' + JSON.stringify(result) + '\n');
}

function main(requestPath) {
  const request = JSON.parse(fs.readFileSync(requestPath, 'utf8'));
  const names = request.recipes || [];
  const out = fs.openSync(request.out, 'w');
  const written = recipeTable({layers: {}}); // the recipes' names: building one needs tfjs-layers
  for (const name of names) {
    process.stdout.write(`@@ ${name}\n`);
    if (!(name in written)) {
      const excluded = NOT_IN_TFJS.find(([pattern]) => pattern.test(name));
      fs.writeSync(out, JSON.stringify(notBuilt(name, excluded)) + '\n');
      continue;
    }
    const child = childProcess.spawnSync(process.execPath, [__filename, '--recipe', name], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = (child.stdout || '').split('\n').find((l) => l.startsWith('@@RESULT '));
    const result = line
      ? JSON.parse(line.slice('@@RESULT '.length))
      : {recipe: name, status: 'failed', error: `recipe process exited ${child.status}: ${firstLine(child.stderr)}`};
    if (child.stderr) process.stderr.write(child.stderr);
    fs.writeSync(out, JSON.stringify(result) + '\n');
  }
  fs.closeSync(out);
  if (request.signatures_out) {
    const child = childProcess.spawnSync(process.execPath, [__filename, '--signatures', request.signatures_out], {
      encoding: 'utf8',
      env: process.env,
    });
    if (child.status !== 0) throw new Error(`call signatures: ${child.stderr}`);
  }
}

if (process.argv[2] === '--recipe') {
  one(process.argv[3]);
} else if (process.argv[2] === '--signatures') {
  signatures(process.argv[3]);
} else if (require.main === module) {
  main(process.argv[2]);
}

module.exports = {Graph, savedModelJson, toSnakeCase, sortedText};
