// The second way to run tfjs-layers (`adapter.js --stand-ins`): get past what stops it before the
// wiring, so that its wiring code (Container.fromConfig, the node bookkeeping of Layer.apply) is what
// the corpus tests.
//
// Run plainly, tfjs refuses most files before reading a single node: layer classes it does not have
// (Attention, MultiHeadAttention, TFOpLambda, every keras.ops layer, custom layers), layer options it
// does not know, and the keras3 InputLayer (`batch_shape` instead of `batch_input_shape`). Here:
// - every layer that is not a model (Functional/Model/Sequential) and not an InputLayer is replaced by
//   a stand-in that accepts any inputs and returns as many outputs as the file references of it
//   (outputs shaped like its first input): layer semantics are not under test, wiring is;
// - an InputLayer's keras3 `batch_shape` becomes `batch_input_shape`, and a dtype policy object
//   becomes its name;
// - the nodes (`inbound_nodes`, `input_layers`, `output_layers`) are NOT touched: they are the wiring
//   tfjs must read itself.
'use strict';

const tf = require('@tensorflow/tfjs');

const MODEL_CLASSES = new Set(['Functional', 'Model', 'Sequential']);
const registered = new Map(); // number of outputs -> stand-in class name

function standInClass(outputs) {
  if (registered.has(outputs)) return registered.get(outputs);
  const className = `KerasspecStandIn${outputs}`;
  class StandIn extends tf.layers.Layer {
    constructor(config) {
      super({ name: config.name, trainable: config.trainable !== false });
    }

    computeOutputShape(inputShape) {
      const first = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
      return outputs === 1 ? first : Array.from({ length: outputs }, () => first);
    }

    call(inputs) {
      const first = Array.isArray(inputs) ? inputs[0] : inputs;
      return outputs === 1 ? tf.clone(first) : Array.from({ length: outputs }, () => tf.clone(first));
    }

    static get className() {
      return className;
    }
  }
  tf.serialization.registerClass(StandIn);
  registered.set(outputs, className);
  return className;
}

// How many outputs of each layer the file references: the highest tensor index + 1, over every
// [name, node, tensor(, kwargs)] reference and keras3 keras_history in the file.
function outputsReferenced(config) {
  const counts = new Map();
  const walk = (node) => {
    if (Array.isArray(node)) {
      if ((node.length === 3 || node.length === 4) && typeof node[0] === 'string'
          && Number.isInteger(node[1]) && Number.isInteger(node[2])) {
        counts.set(node[0], Math.max(counts.get(node[0]) || 1, node[2] + 1));
      }
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      Object.values(node).forEach(walk);
    }
  };
  walk(config);
  return counts;
}

function adaptInputLayer(layerConfig) {
  const cfg = { ...(layerConfig.config || {}) };
  if (cfg.batch_shape !== undefined && cfg.batch_input_shape === undefined) {
    cfg.batch_input_shape = cfg.batch_shape;
    delete cfg.batch_shape;
  }
  if (cfg.dtype && typeof cfg.dtype === 'object') {
    cfg.dtype = (cfg.dtype.config && cfg.dtype.config.name) || 'float32';
  }
  for (const key of ['optional', 'sparse', 'ragged']) delete cfg[key];
  return { ...layerConfig, config: cfg };
}

function adaptLayer(layerConfig, counts) {
  if (!layerConfig || typeof layerConfig !== 'object') return layerConfig;
  if (MODEL_CLASSES.has(layerConfig.class_name)) return adaptModel(layerConfig, counts);
  if (layerConfig.class_name === 'InputLayer') return adaptInputLayer(layerConfig);
  const name = layerConfig.name || (layerConfig.config && layerConfig.config.name);
  return {
    ...layerConfig,
    class_name: standInClass(counts.get(name) || 1),
    config: { name, trainable: layerConfig.config ? layerConfig.config.trainable : true },
  };
}

function adaptModel(modelConfig, counts) {
  const inner = modelConfig.config;
  if (!inner || typeof inner !== 'object') return modelConfig;
  if (Array.isArray(inner)) return { ...modelConfig, config: inner.map((l) => adaptLayer(l, counts)) };
  if (!Array.isArray(inner.layers)) return modelConfig;
  return { ...modelConfig, config: { ...inner, layers: inner.layers.map((l) => adaptLayer(l, counts)) } };
}

/** The file's config with stand-in layers and tfjs-style InputLayers; nodes untouched. */
function prepare(config) {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return config;
  return adaptModel(config, outputsReferenced(config));
}

module.exports = { prepare };
