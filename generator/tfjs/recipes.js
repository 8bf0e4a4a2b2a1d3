// The recipes of generator/recipes/ that tfjs-layers can be asked to build, under the same names
// and with the same layer names, written with the tfjs-layers API. A recipe whose API tfjs-layers
// lacks is still written here when the attempt says so (the error goes into the manifest's
// `unbuildable`); recipes of Python-only constructs are listed in NOT_IN_TFJS with the reason.
'use strict';

function recipes(tfl) {
  const L = tfl.layers;
  const input = (shape, name, dtype) => tfl.input(dtype ? {shape, name, dtype} : {shape, name});
  const model = (inputs, outputs, name) => tfl.model({inputs, outputs, name});
  const pair = (shape = [4]) => [input(shape, 'a'), input(shape, 'b')];
  const inner = (name = 'inner', width = 4) => {
    const x = input([width], `${name}_in`);
    return model(x, L.dense({units: width, activation: 'relu', name: `${name}_dense`}).apply(x), name);
  };
  // tfjs-layers starts a Sequential with an InputLayer (`tf.layers.inputLayer`), not with an input
  // tensor; without one, its first layer needs `inputShape` (a Sequential is built when a layer is added).
  const innerSeq = (name = 'inner_seq', withInput = true, width = 4) => {
    const layers = withInput ? [L.inputLayer({inputShape: [width], name: `${name}_in`})] : [];
    const first = {units: width, activation: 'relu', name: `${name}_d1`};
    layers.push(L.dense(withInput ? first : {...first, inputShape: [width]}));
    layers.push(L.dense({units: width, name: `${name}_d2`}));
    return tfl.sequential({layers, name});
  };

  // recipes/lambdas_nested.py's helpers, with the Dense of the controls in place of a Lambda.
  const controlFunctional = (name, body) => {
    const x = input([4], `${name}_in`);
    const h = L.dense({units: 4, name: `${name}_dense`}).apply(x);
    return model(x, (body || L.dense({units: 4, name: `${name}_code`})).apply(h), name);
  };
  const controlSequential = (name, body) =>
    tfl.sequential({
      layers: [
        L.inputLayer({inputShape: [4], name: `${name}_in`}),
        L.dense({units: 4, name: `${name}_dense`}),
        body || L.dense({units: 4, name: `${name}_code`}),
      ],
      name,
    });
  const outerFunctional = (inner, name) => {
    const x = input([4], 'x');
    return model(x, L.dense({units: 2, name: 'head'}).apply(inner.apply(x)), name);
  };
  const outerSequential = (inner, name) =>
    tfl.sequential({layers: [L.inputLayer({inputShape: [4], name: 'x'}), inner, L.dense({units: 2, name: 'head'})], name});

  return {
    // ---------------------------------------------------------------- smoke
    'smoke-dense-chain': () => {
      const x = input([4], 'x');
      const h = L.dense({units: 3, name: 'hidden'}).apply(x);
      return model(x, L.dense({units: 2, name: 'out'}).apply(h), 'smoke_dense_chain');
    },
    'smoke-shared-nested': () => {
      const i = input([4], 'inner_in');
      const m = model(i, L.dense({units: 3, name: 'inner_dense'}).apply(i), 'inner');
      const [a, b] = pair();
      return model([a, b], L.add({name: 'add'}).apply([m.apply(a), m.apply(b)]), 'smoke_shared_nested');
    },
    'smoke-sequential-in-functional': () => {
      const seq = tfl.sequential({
        layers: [
          L.inputLayer({inputShape: [4], name: 'seq_in'}),
          L.dense({units: 3, name: 's1'}),
          L.dense({units: 2, name: 's2'}),
        ],
        name: 'seq',
      });
      const x = input([4], 'x');
      return model(x, seq.apply(x), 'smoke_sequential_in_functional');
    },
    'smoke-one-element-list-call': () => {
      const x = input([4], 'x');
      return model([x], L.concatenate({name: 'concat'}).apply([x]), 'smoke_one_element_list_call');
    },
    'smoke-mha-positional': () => {
      const q = input([3, 4], 'q');
      const v = input([5, 4], 'v');
      return model([q, v], L.multiHeadAttention({numHeads: 2, keyDim: 2, name: 'mha'}).apply(q, v), 'smoke_mha_positional');
    },
    // ---------------------------------------------------------------- io
    'single-io-dense': () => {
      const x = input([4], 'x');
      const h = L.dense({units: 8, activation: 'relu', name: 'hidden'}).apply(x);
      return model(x, L.dense({units: 2, activation: 'softmax', name: 'probs'}).apply(h), 'single_io_dense');
    },
    'single-io-in-lists': () => {
      const x = input([4], 'x');
      return model([x], [L.dense({units: 2, name: 'out'}).apply(x)], 'single_io_in_lists');
    },
    'dict-inputs': () => {
      const a = input([4], 'alpha');
      const b = input([4], 'beta');
      return model({zeta: b, eta: a}, L.concatenate({name: 'cat'}).apply([a, b]), 'dict_inputs');
    },
    'dict-outputs': () => {
      const x = input([4], 'x');
      const h = L.dense({units: 8, name: 'trunk'}).apply(x);
      const y = {
        score: L.dense({units: 1, name: 'score_head'}).apply(h),
        label: L.dense({units: 3, name: 'label_head'}).apply(h),
      };
      return model(x, y, 'dict_outputs');
    },
    'nested-outputs': () => {
      const x = input([4], 'x');
      const h1 = L.dense({units: 2, name: 'h1'}).apply(x);
      const h2 = L.dense({units: 3, name: 'h2'}).apply(x);
      const h3 = L.dense({units: 4, name: 'h3'}).apply(x);
      return model(x, [h1, [h2, h3]], 'nested_outputs');
    },
    'output-is-input': () => {
      const x = input([4], 'x');
      return model(x, [x, L.dense({units: 2, name: 'out'}).apply(x)], 'output_is_input');
    },
    'same-output-twice': () => {
      const x = input([4], 'x');
      const y = L.dense({units: 2, name: 'out'}).apply(x);
      return model(x, [y, y], 'same_output_twice');
    },
    'inputs-out-of-order': () => {
      const a = input([4], 'a');
      const d = L.dense({units: 4, name: 'dense_a'}).apply(a);
      const b = input([4], 'b');
      return model([b, a], L.add({name: 'sum'}).apply([d, b]), 'inputs_out_of_order');
    },
    'late-input': () => {
      const a = input([4], 'early');
      let h = a;
      for (let i = 0; i < 4; i++) h = L.dense({units: 4, name: `deep_${i}`}).apply(h);
      const b = input([4], 'late');
      return model([a, b], L.concatenate({name: 'join'}).apply([b, h]), 'late_input');
    },
    'outputs-reversed': () => {
      const x = input([4], 'x');
      let long = L.dense({units: 4, name: 'long_1'}).apply(x);
      long = L.dense({units: 4, name: 'long_2'}).apply(long);
      const short = L.dense({units: 4, name: 'short'}).apply(x);
      return model(x, [short, long], 'reverse_outputs');
    },
    // ---------------------------------------------------------------- kwargs
    'dropout-training-true': () => {
      const x = input([4], 'x');
      const h = L.dropout({rate: 0.5, name: 'drop'}).apply(x, {training: true});
      return model(x, L.dense({units: 2, name: 'out'}).apply(h), 'dropout_training_true');
    },
    'batchnorm-training-false': () => {
      const x = input([4], 'x');
      const h = L.batchNormalization({name: 'bn'}).apply(x, {training: false});
      return model(x, L.dense({units: 2, name: 'out'}).apply(h), 'batchnorm_training_false');
    },
    'nested-model-training-false': () => {
      const m = inner('backbone');
      const x = input([4], 'x');
      const h = m.apply(x, {training: false});
      return model(x, L.dense({units: 2, name: 'head'}).apply(h), 'outer');
    },
    'softmax-mask': () => {
      const x = input([4], 'x');
      const m = input([4], 'mask', 'bool');
      return model([x, m], L.softmax({name: 'softmax'}).apply(x, {mask: m}), 'softmax_mask');
    },
    // ---------------------------------------------------------------- merge
    'merge-add': () => {
      const [a, b] = pair();
      const s = L.add({name: 'add'}).apply([a, b]);
      return model([a, b], L.dense({units: 2, name: 'head'}).apply(s), 'merge_add');
    },
    'merge-subtract': () => {
      const [a, b] = pair();
      return model([a, b], L.subtract({name: 'sub'}).apply([b, a]), 'merge_subtract');
    },
    'merge-multiply-three': () => {
      const [a, b] = pair();
      const c = L.dense({units: 4, name: 'proj'}).apply(a);
      return model([a, b], L.multiply({name: 'mul'}).apply([a, b, c]), 'merge_multiply_three');
    },
    'merge-average': () => {
      const [a, b] = pair();
      const d1 = L.dense({units: 4, name: 'branch_1'}).apply(a);
      const d2 = L.dense({units: 4, name: 'branch_2'}).apply(a);
      return model([a, b], L.average({name: 'avg'}).apply([d1, d2, b]), 'merge_average');
    },
    'merge-maximum-minimum': () => {
      const [a, b] = pair();
      const hi = L.maximum({name: 'hi'}).apply([a, b]);
      const lo = L.minimum({name: 'lo'}).apply([a, b]);
      return model([a, b], [hi, lo], 'merge_maximum_minimum');
    },
    'merge-concatenate-axis': () => {
      const [a, b] = pair([3, 4]);
      const y = L.concatenate({axis: 1, name: 'cat'}).apply([a, b]);
      return model([a, b], L.flatten({name: 'flat'}).apply(y), 'merge_concatenate_axis');
    },
    'merge-dot': () => {
      const [a, b] = pair();
      return model([a, b], L.dot({axes: 1, normalize: true, name: 'cosine'}).apply([a, b]), 'merge_dot');
    },
    'merge-same-tensor-twice': () => {
      const x = input([4], 'x');
      return model(x, L.add({name: 'double'}).apply([x, x]), 'merge_same_tensor_twice');
    },
    'merge-tree': () => {
      // Subtract (the last merge of the Python recipe) is missing from tfjs-layers: tried as written.
      const [a, b] = pair();
      const c = input([4], 'c');
      const ab = L.add({name: 'ab'}).apply([a, b]);
      const bc = L.multiply({name: 'bc'}).apply([b, c]);
      const cat = L.concatenate({name: 'cat'}).apply([ab, bc, c]);
      const top = L.dense({units: 4, name: 'top'}).apply(cat);
      return model([a, b, c], L.subtract({name: 'resid'}).apply([top, ab]), 'merge_tree');
    },
    // ---------------------------------------------------------------- nested
    'nested-functional': () => {
      const m = inner();
      const x = input([4], 'x');
      return model(x, L.dense({units: 2, name: 'head'}).apply(m.apply(x)), 'outer');
    },
    'nested-functional-twice': () => {
      const tower = inner('tower');
      const [a, b] = pair();
      const y = L.subtract({name: 'diff'}).apply([tower.apply(a), tower.apply(b)]);
      return model([a, b], y, 'siamese');
    },
    'nested-functional-twice-outputs': () => {
      const tower = inner('tower');
      const [a, b] = pair();
      const ea = tower.apply(a);
      const eb = tower.apply(b);
      return model([a, b], [eb, ea], 'twice_outputs');
    },
    'nested-sequential-with-input': () => {
      const m = innerSeq('inner_seq', true);
      const x = input([4], 'x');
      return model(x, L.dense({units: 2, name: 'head'}).apply(m.apply(x)), 'outer');
    },
    'nested-sequential-no-input': () => {
      const m = innerSeq('inner_seq', false);
      const x = input([4], 'x');
      return model(x, L.dense({units: 2, name: 'head'}).apply(m.apply(x)), 'outer');
    },
    'nested-sequential-twice': () => {
      const m = innerSeq('inner_seq', true);
      const [a, b] = pair();
      return model([a, b], L.concatenate({name: 'cat'}).apply([m.apply(a), m.apply(b)]), 'outer');
    },
    'nested-sequential-no-input-twice': () => {
      const m = innerSeq('inner_seq', false);
      const [a, b] = pair();
      return model([a, b], L.add({name: 'sum'}).apply([m.apply(a), m.apply(b)]), 'outer');
    },
    'nested-two-deep': () => {
      const innermost = inner('innermost');
      const mi = input([4], 'middle_in');
      const middle = model(mi, L.dense({units: 4, name: 'middle_dense'}).apply(innermost.apply(mi)), 'middle');
      const x = input([4], 'x');
      return model(x, L.dense({units: 2, name: 'head'}).apply(middle.apply(x)), 'outer');
    },
    'nested-two-deep-twice': () => {
      const innermost = inner('innermost');
      const mi = input([4], 'middle_in');
      const middle = model(mi, innermost.apply(innermost.apply(mi)), 'middle');
      const [a, b] = pair();
      return model([a, b], L.add({name: 'sum'}).apply([middle.apply(a), middle.apply(b)]), 'outer');
    },
    'sequential-in-sequential': () => {
      const m = innerSeq('inner_seq', false);
      return tfl.sequential({
        layers: [L.inputLayer({inputShape: [4], name: 'x'}), L.dense({units: 4, name: 'first'}), m, L.dense({units: 2, name: 'last'})],
        name: 'outer_seq',
      });
    },
    'functional-in-sequential': () => {
      const m = inner();
      return tfl.sequential({
        layers: [L.inputLayer({inputShape: [4], name: 'x'}), m, L.dense({units: 2, name: 'last'})],
        name: 'outer_seq',
      });
    },
    'nested-two-outputs': () => {
      const xi = input([4], 'inner_in');
      const o1 = L.dense({units: 3, name: 'inner_a'}).apply(xi);
      const o2 = L.dense({units: 2, name: 'inner_b'}).apply(xi);
      const m = model(xi, [o1, o2], 'inner');
      const x = input([4], 'x');
      const [a, b] = m.apply(x);
      const hb = L.dense({units: 3, name: 'from_b'}).apply(b);
      return model(x, L.add({name: 'sum'}).apply([hb, a]), 'outer');
    },
    'nested-multi-input': () => {
      const i1 = input([4], 'inner_a');
      const i2 = input([4], 'inner_b');
      const m = model([i1, i2], L.add({name: 'inner_add'}).apply([i1, i2]), 'inner');
      const [a, b] = pair();
      return model([a, b], m.apply([b, a]), 'outer');
    },
    'nested-shared-with-outer': () => {
      const shared = L.dense({units: 4, name: 'shared'});
      const i = input([4], 'inner_in');
      const m = model(i, shared.apply(i), 'inner');
      const x = input([4], 'x');
      return model(x, shared.apply(m.apply(x)), 'outer');
    },
    'sequential-with-input': () => innerSeq('plain_seq', true),
    'sequential-built-later': () => {
      const m = innerSeq('late_seq', false);
      m.build([null, 4]);
      return m;
    },
    'nested-two-outputs-twice': () => {
      const xi = input([4], 'inner_in');
      const m = model(
        xi,
        [L.dense({units: 3, name: 'inner_a'}).apply(xi), L.dense({units: 3, name: 'inner_b'}).apply(xi)],
        'inner'
      );
      const [a, b] = pair();
      const [a0, a1] = m.apply(a);
      const [b0, b1] = m.apply(b);
      const y = L.concatenate({name: 'cat'}).apply([b1, a0, b0, a1]);
      return model([a, b], [y, b1], 'outer');
    },
    // ---------------------------------------------------------------- shared
    'shared-dense-siamese': () => {
      const [a, b] = pair();
      const d = L.dense({units: 4, name: 'shared'});
      return model([a, b], L.concatenate({name: 'cat'}).apply([d.apply(a), d.apply(b)]), 'shared_dense_siamese');
    },
    'shared-nodes-out-of-order': () => {
      const [a, b] = pair();
      const d = L.dense({units: 4, name: 'shared'});
      const first = d.apply(a);
      const second = d.apply(b);
      const y = L.subtract({name: 'sub'}).apply([second, first]);
      return model([a, b], [y, second, first], 'shared_nodes_out_of_order');
    },
    'shared-layer-repeated': () => {
      const x = input([4], 'x');
      const d = L.dense({units: 4, activation: 'tanh', name: 'step'});
      return model(x, d.apply(d.apply(d.apply(x))), 'shared_layer_repeated');
    },
    'shared-layer-non-topological': () => {
      const x = input([4], 'x');
      const d = L.dense({units: 4, name: 'shared'});
      const mid = L.dense({units: 4, name: 'middle'}).apply(d.apply(x));
      return model(x, d.apply(mid), 'shared_layer_non_topological');
    },
    'shared-layer-foreign-node': () => {
      const d = L.dense({units: 4, name: 'shared'});
      d.apply(input([4], 'outside'));
      const x = input([4], 'x');
      return model(x, L.dense({units: 2, name: 'head'}).apply(d.apply(x)), 'shared_layer_foreign_node');
    },
    'shared-layer-foreign-between': () => {
      const d = L.dense({units: 4, name: 'shared'});
      const a = input([4], 'a');
      const ya = d.apply(a);
      d.apply(input([4], 'outside'));
      const b = input([4], 'b');
      const yb = d.apply(b);
      return model([a, b], L.add({name: 'sum'}).apply([ya, yb]), 'shared_layer_foreign_between');
    },
    // ---------------------------------------------------------------- rnn
    'lstm-return-state': () => {
      const x = input([5, 3], 'x');
      const [seq, h, c] = L.lstm({units: 4, returnSequences: true, returnState: true, name: 'lstm'}).apply(x);
      const hc = L.concatenate({name: 'hc'}).apply([h, c]);
      const pooled = L.globalMaxPooling1d({name: 'pool'}).apply(seq);
      return model(x, L.concatenate({name: 'out'}).apply([pooled, hc]), 'lstm_return_state');
    },
    'lstm-states-as-outputs': () => {
      const x = input([5, 3], 'x');
      const [seq, h, c] = L.lstm({units: 4, returnState: true, name: 'lstm'}).apply(x);
      return model(x, [c, h, seq], 'lstm_states_as_outputs');
    },
    'lstm-initial-state': () => {
      const encIn = input([5, 3], 'encoder_in');
      const decIn = input([4, 3], 'decoder_in');
      const [, h, c] = L.lstm({units: 6, returnState: true, name: 'encoder'}).apply(encIn);
      const dec = L.lstm({units: 6, returnSequences: true, name: 'decoder'}).apply(decIn, {initialState: [h, c]});
      return model([encIn, decIn], L.dense({units: 3, name: 'proj'}).apply(dec), 'lstm_initial_state');
    },
    'gru-initial-state-input': () => {
      const x = input([5, 3], 'x');
      const h0 = input([4], 'h0');
      return model([x, h0], L.gru({units: 4, name: 'gru'}).apply(x, {initialState: h0}), 'gru_initial_state_input');
    },
    'simplernn-initial-state-positional': () => {
      // tfjs-layers' apply() has no positional initial state: the list [x, h0] is how it takes one.
      const x = input([5, 3], 'x');
      const h0 = input([4], 'h0');
      return model([x, h0], L.simpleRNN({units: 4, name: 'rnn'}).apply([x, h0]), 'simplernn_initial_state_positional');
    },
    'gru-return-state-chain': () => {
      const x = input([5, 3], 'x');
      const [seq, state] = L.gru({units: 4, returnSequences: true, returnState: true, name: 'gru_1'}).apply(x);
      return model(x, L.gru({units: 4, name: 'gru_2'}).apply(seq, {initialState: state}), 'gru_return_state_chain');
    },
    'rnn-stacked-cells': () => {
      const x = input([5, 3], 'x');
      const cells = [L.lstmCell({units: 4, name: 'cell_1'}), L.lstmCell({units: 2, name: 'cell_2'})];
      const stack = L.stackedRNNCells({cells, name: 'cells'});
      const [out, h1, , h2, c2] = L.rnn({cell: stack, returnState: true, name: 'stacked'}).apply(x);
      const last = L.concatenate({name: 'states'}).apply([h1, c2, h2]);
      return model(x, L.concatenate({name: 'out'}).apply([out, last]), 'rnn_stacked_cells');
    },
    'embedding-mask-zero-lstm': () => {
      const x = input([6], 'tokens', 'int32');
      const e = L.embedding({inputDim: 20, outputDim: 4, maskZero: true, name: 'embed'}).apply(x);
      const h = L.lstm({units: 4, returnSequences: true, name: 'lstm'}).apply(e);
      const p = L.globalAveragePooling1d({name: 'pool'}).apply(h);
      return model(x, L.dense({units: 2, name: 'head'}).apply(p), 'embedding_mask_zero_lstm');
    },
    'lstm-explicit-mask': () => {
      const x = input([5, 3], 'x');
      const m = input([5], 'mask', 'bool');
      return model([x, m], L.lstm({units: 4, name: 'lstm'}).apply(x, {mask: m}), 'lstm_explicit_mask');
    },
    'masking-layer-gru': () => {
      const x = input([5, 3], 'x');
      const m = L.masking({maskValue: 0.0, name: 'masking'}).apply(x);
      return model(x, L.gru({units: 4, name: 'gru'}).apply(m), 'masking_layer_gru');
    },
    // ---------------------------------------------------------------- wrappers
    'bidirectional-lstm': () => {
      const x = input([5, 3], 'x');
      const h = L.bidirectional({layer: L.lstm({units: 4, name: 'lstm'}), name: 'bilstm'}).apply(x);
      return model(x, L.dense({units: 2, name: 'head'}).apply(h), 'bidirectional_lstm');
    },
    'bidirectional-return-state': () => {
      const x = input([5, 3], 'x');
      const bi = L.bidirectional({layer: L.lstm({units: 4, returnState: true, name: 'lstm'}), name: 'bilstm'});
      const [out, fh, fc, bh, bc] = bi.apply(x);
      const h = L.concatenate({name: 'h'}).apply([fh, bh]);
      return model(x, [out, h, fc, bc], 'bidirectional_return_state');
    },
    'bidirectional-initial-state': () => {
      const x = input([5, 3], 'x');
      const fwd = input([4], 'fwd_state');
      const bwd = input([4], 'bwd_state');
      const bi = L.bidirectional({layer: L.gru({units: 4, name: 'gru'}), name: 'bigru'});
      return model([x, fwd, bwd], bi.apply(x, {initialState: [fwd, bwd]}), 'bidirectional_initial_state');
    },
    'bidirectional-backward-layer': () => {
      const x = input([5, 3], 'x');
      const fwd = L.gru({units: 4, returnSequences: true, name: 'fwd'});
      const bwd = L.gru({units: 4, returnSequences: true, goBackwards: true, name: 'bwd'});
      const bi = L.bidirectional({layer: fwd, backwardLayer: bwd, mergeMode: 'sum', name: 'bigru'});
      return model(x, bi.apply(x), 'bidirectional_backward_layer');
    },
    'timedistributed-dense': () => {
      const x = input([5, 3], 'x');
      return model(x, L.timeDistributed({layer: L.dense({units: 2, name: 'dense'}), name: 'td'}).apply(x), 'timedistributed_dense');
    },
    'timedistributed-conv': () => {
      const x = input([3, 8, 8, 1], 'frames');
      let h = L.timeDistributed({layer: L.conv2d({filters: 2, kernelSize: 3, name: 'conv'}), name: 'td_conv'}).apply(x);
      h = L.timeDistributed({layer: L.flatten({name: 'flat'}), name: 'td_flat'}).apply(h);
      return model(x, L.lstm({units: 2, name: 'lstm'}).apply(h), 'timedistributed_conv');
    },
    'timedistributed-model': () => {
      const step = tfl.sequential({
        layers: [L.inputLayer({inputShape: [3], name: 'step_in'}), L.dense({units: 4, name: 'd1'}), L.dense({units: 2, name: 'd2'})],
        name: 'per_step',
      });
      const x = input([5, 3], 'x');
      return model(x, L.timeDistributed({layer: step, name: 'td'}).apply(x), 'timedistributed_model');
    },
    // ---------------------------------------------------------------- mixed
    'mix-nested-sequential-and-functional': () => {
      const fi = input([4], 'f_in');
      const func = model(fi, L.dense({units: 4, name: 'f_dense'}).apply(fi), 'func');
      const seq = tfl.sequential({
        layers: [L.inputLayer({inputShape: [4], name: 's_in'}), func, L.dense({units: 4, name: 's_dense'})],
        name: 'seq',
      });
      const [a, b] = pair();
      const y = L.average({name: 'avg'}).apply([seq.apply(a), seq.apply(b), func.apply(a)]);
      return model([a, b], y, 'mix_nested_sequential_and_functional');
    },
    'mix-multitask-dict': () => {
      const title = input([6], 'title', 'int32');
      const body = input([10], 'body', 'int32');
      const emb = L.embedding({inputDim: 30, outputDim: 4, maskZero: true, name: 'shared_embedding'});
      const t = L.globalAveragePooling1d({name: 'title_pool'}).apply(emb.apply(title));
      const bodyEmb = emb.apply(body);
      const seq = L.bidirectional({layer: L.lstm({units: 4, name: 'lstm'}), name: 'body_encoder'}).apply(bodyEmb);
      const [, h, c] = L.lstm({units: 4, returnState: true, name: 'body_state'}).apply(bodyEmb);
      const state = L.concatenate({name: 'state'}).apply([c, h]);
      const joined = L.concatenate({name: 'joined'}).apply([t, seq, state]);
      return model(
        {title, body},
        {
          topic: L.dense({units: 3, activation: 'softmax', name: 'topic'}).apply(joined),
          score: L.dense({units: 1, name: 'score'}).apply(joined),
        },
        'mix_multitask_dict'
      );
    },
    // ------------------------------------------------- nested shapes of recipes/lambdas_nested.py
    // (their controls: a Dense where the Python twin holds a Lambda, which tfjs-layers has not)
    'lambda-in-nested-functional-control': () => outerFunctional(controlFunctional('inner'), 'outer'),
    'lambda-in-nested-sequential-control': () => outerFunctional(controlSequential('inner_seq'), 'outer'),
    'lambda-functional-in-sequential-control': () => outerSequential(controlFunctional('inner'), 'outer_seq'),
    'lambda-sequential-in-sequential-control': () => outerSequential(controlSequential('inner_seq'), 'outer_seq'),
    'lambda-two-levels-functional-control': () =>
      outerFunctional(controlSequential('middle', controlFunctional('inner')), 'outer'),
    'lambda-two-levels-sequential-control': () =>
      outerSequential(controlFunctional('middle', controlSequential('inner_seq')), 'outer_seq'),
    'lambda-in-timedistributed-control': () => {
      const x = input([5, 4], 'x');
      return model(x, L.timeDistributed({layer: L.dense({units: 4, name: 'step'}), name: 'td'}).apply(x), 'lambda_in_timedistributed');
    },
    'lambda-nested-shared-control': () => {
      const tower = controlFunctional('tower');
      const [a, b] = pair();
      return model([a, b], L.subtract({name: 'diff'}).apply([tower.apply(a), tower.apply(b)]), 'lambda_nested_shared');
    },
    'bidirectional-control': () => {
      const x = input([5, 3], 'x');
      const h = L.bidirectional({layer: L.lstm({units: 4, name: 'lstm'}), name: 'bilstm'}).apply(x);
      return model(x, L.dense({units: 2, name: 'head'}).apply(h), 'bidirectional_control');
    },
    'merge-functional-helpers': () => {
      // tfjs-layers' lower-case helpers (tf.layers.add ...) build the layer; apply() calls it.
      const [a, b] = pair();
      const s = L.add({name: 'added'}).apply([a, b]);
      const m = L.maximum({name: 'maxed'}).apply([a, s]);
      return model([a, b], L.concatenate({axis: -1, name: 'joined'}).apply([s, m]), 'merge_functional_helpers');
    },
    'nested-inputs': () => {
      const [a, b] = pair();
      const c = input([4], 'c');
      return model([a, [b, c]], L.average({name: 'avg'}).apply([a, b, c]), 'nested_inputs');
    },
    'dict-inputs-and-outputs': () => {
      const [a, b] = pair();
      const s = L.add({name: 'sum'}).apply([a, b]);
      return model({a, b}, {sum: s, a_again: a}, 'dict_io');
    },
    'dict-of-lists-outputs': () => {
      const x = input([4], 'x');
      const h1 = L.dense({units: 2, name: 'h1'}).apply(x);
      const h2 = L.dense({units: 3, name: 'h2'}).apply(x);
      return model(x, {first: h1, rest: [h2, h1]}, 'dict_of_lists_outputs');
    },
  };
}

// Recipes tfjs-layers has no way to express at all: the construct is Python's.
const NOT_IN_TFJS = [
  [/^tfop-/, 'tf.* operations on symbolic tensors (TFOpLambda) are Python tf.keras only; tfjs-layers has no such layer'],
  [/^ops-/, 'keras.ops on symbolic tensors are Keras 3 only'],
  [/^(lambda-|function-reference-)(?!.*-control$)/, 'tfjs-layers has no Lambda layer (no Python function to serialize)'],
  [/^custom-/, 'a custom Python layer class'],
  [/^app-|^bert-|^gpt-/, 'a keras.applications / keras_nlp model; tfjs-layers has none'],
  [/^(attention|mha)-|^mix-(transformer-block|seq2seq-attention|siamese-shared-attention|all-merges)$/,
    'tfjs-layers 4.22 has no Attention, AdditiveAttention or MultiHeadAttention layer'],
  [/^mix-tfops-and-layers$/, 'tf.* operations on symbolic tensors (TFOpLambda) are Python tf.keras only'],
  [/^shared-conv-towers$/, 'tfjs-layers has no Lambda layer (no Python function to serialize)'],
  [/^tuple-inputs-outputs$/, 'JavaScript has no tuples: the recipe is the list recipes\' in tfjs-layers'],
  [/^(first-arg-by-keyword|nested-dict-input)$/, 'tfjs-layers apply(inputs, kwargs) takes no keyword inputs and no dict of inputs'],
];

module.exports = {recipes, NOT_IN_TFJS};
