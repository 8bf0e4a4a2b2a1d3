// Live tfjs-layers for the serializer's differential test: serializer_live.py's counterpart for
// TensorFlow.js. Replays generated graphs (plans of kerasspec.strategies) with the real tfjs-layers
// and writes, per plan, the model.json that tf.io writes for `model.save()` (generator/tfjs/worker.js
// captures it the same way for the corpus) or the error tfjs raised:
//
//   NODE_PATH=<node_modules holding @tensorflow/tfjs> node serializer_live.js < plans.json > files.json
//
// Output: {"format": "keras2", "version": <tfjs-layers version>, "results": [{"json"} | {"error"}]}.
// Keras's snake_case parameters become tfjs's camelCase ones (`initial_state` is `initialState`).
//
//   node serializer_live.js --load CLASS...  ->  {"errors": {CLASS: error or null}}
//
// loads a one-layer model of each class with tfjs-layers' own deserializer: for a class it lacks,
// the error it gives ("Unknown layer: Attention. ..."), first line only.
'use strict';

const fs = require('fs');
const path = require('path');

const {savedModelJson} = require(path.join(__dirname, '..', '..', 'generator', 'tfjs', 'worker.js'));

function layerOf(L, kind, name, params, inputShape) {
  const shape = inputShape ? {inputShape} : {};
  switch (kind) {
    case 'Dense':
      return L.dense({units: params.units ?? 4, name, ...shape});
    case 'TimeDistributed':
      return L.timeDistributed({layer: L.dense({units: params.units ?? 4, name: `${name}_dense`}), name});
    case 'LSTM':
      return L.lstm({
        units: params.units ?? 4,
        returnSequences: params.return_sequences ?? false,
        returnState: params.return_state ?? false,
        name,
      });
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
      return L[kind.toLowerCase()]({name});
    case 'Bidirectional':
      return L.bidirectional({
        layer: L.lstm({units: params.units ?? 4, returnSequences: params.return_sequences ?? false, name: `${name}_lstm`}),
        name,
      });
    case 'Concatenate':
      return L.concatenate({axis: params.axis ?? -1, name});
    default:
      // tfjs-layers' own refusal, as the template capture records it (e.g. `L.subtract is not a function`)
      return L[kind.charAt(0).toLowerCase() + kind.slice(1)]({name});
  }
}

function camel(key) {
  return key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

function value(v, tensors) {
  const [[tag, payload]] = Object.entries(v);
  if (tag === 'tensor') return tensors.get(payload.join('/'));
  if (tag === 'const') return payload;
  if (tag === 'list') return payload.map((item) => value(item, tensors));
  if (tag === 'dict') {
    const out = {};
    for (const [key, item] of Object.entries(payload)) out[key] = value(item, tensors);
    return out;
  }
  throw new Error(`cannot replay ${JSON.stringify(v)}`);
}

function buildModel(tfl, plan) {
  const L = tfl.layers;
  if (plan.class_name === 'Sequential') {
    // A Sequential starts with an InputLayer, or (layout without it) its first layer takes the shape.
    const [first, ...rest] = plan.layers;
    const withInput = !plan.layout || plan.layout.includes(first.name);
    const stack = withInput ? [L.inputLayer({inputShape: first.shape, dtype: first.dtype, name: first.name})] : [];
    rest.forEach((layer, i) => {
      const shape = !withInput && i === 0 ? first.shape : null;
      stack.push(layerOf(L, layer.kind, layer.name, layer.params, shape));
    });
    return tfl.sequential({layers: stack, name: plan.name});
  }
  const byName = new Map(plan.layers.map((layer) => [layer.name, layer]));
  const tensors = new Map();
  const live = new Map();
  for (const layer of plan.layers) {
    if (layer.kind === 'InputLayer') {
      tensors.set(`${layer.name}/0/0`, tfl.input({shape: layer.shape, dtype: layer.dtype, name: layer.name}));
    }
  }
  for (const [name, index] of plan.order) {
    const layer = byName.get(name);
    if (!live.has(name)) {
      live.set(name, layer.model ? buildModel(tfl, layer.model) : layerOf(L, layer.kind, name, layer.params));
    }
    const call = layer.calls[index];
    if (call.args.length !== 1) throw new Error(`tfjs-layers calls a layer on one argument, not ${call.args.length}`);
    const kwargs = {};
    for (const [key, item] of Object.entries(call.kwargs)) kwargs[camel(key)] = value(item, tensors);
    const result = live.get(name).apply(value(call.args[0], tensors), kwargs);
    const outputs = Array.isArray(result) ? result : [result];
    outputs.forEach((output, position) => tensors.set(`${name}/${index}/${position}`, output));
  }
  return tfl.model({inputs: value(plan.inputs, tensors), outputs: value(plan.outputs, tensors), name: plan.name});
}

function errorLine(error) {
  const name = (error && error.constructor && error.constructor.name) || 'Error';
  return `${name}: ${String((error && error.message) || error).split('\n')[0]}`;
}

async function load(tfl, classes) {
  const errors = {};
  for (const className of classes) {
    const layer = {class_name: className, config: {name: 'probe', batch_input_shape: [null, 4]}};
    const modelTopology = {class_name: 'Sequential', config: {name: 'probe_model', layers: [layer]}};
    try {
      await tfl.loadLayersModel({load: async () => ({modelTopology})});
      errors[className] = null;
    } catch (error) {
      errors[className] = errorLine(error);
    }
  }
  process.stdout.write(JSON.stringify({errors}));
}

async function main() {
  const tf = require('@tensorflow/tfjs'); // registers the pure-JS CPU backend
  const tfl = require('@tensorflow/tfjs-layers');
  await tf.setBackend('cpu');
  if (process.argv[2] === '--load') return load(tfl, process.argv.slice(3));
  const plans = JSON.parse(fs.readFileSync(0, 'utf8'));
  const results = [];
  for (const plan of plans) {
    try {
      results.push({json: await savedModelJson(tf, buildModel(tfl, plan.model))});
    } catch (error) {
      results.push({error: errorLine(error)}); // a plan tfjs refuses is a finding, reported per plan
    }
    tf.disposeVariables();
  }
  process.stdout.write(JSON.stringify({format: 'keras2', version: tfl.version_layers, results}));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(1);
});
