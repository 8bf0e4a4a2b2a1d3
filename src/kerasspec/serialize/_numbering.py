"""How a producer numbers the calls of a layer on the wire (spec/canonical-graph.md, node numbering).

A canonical reference names a *call* (its position in the layer's ``calls``); the wire names a node
index.  They differ for nested models, which own a node of their own created when the model was
built:

* keras2 counts that node, everywhere, for a nested Functional and for a nested Sequential whose
  first layer is an InputLayer: call ``c`` is node ``c + 1``.
* keras3 counts it for a nested Functional in ``input_layers``/``output_layers`` only; inside
  nodes (``keras_history``) call ``c`` is node ``c``.  A nested Sequential is never shifted.
* standalone Keras before 2.4 (and tfjs-layers) counts it for every nested model, Sequential included.
* Keras 3.2.x writes node index 0 for *every* reference inside nodes: its ``serialize_node``
  tests ``node not in own_nodes`` where ``own_nodes`` holds node keys, never nodes, so it
  subtracts every earlier node (keras/src/models/functional.py, fixed in 3.3).  Such a file
  cannot say which call of a shared layer a tensor came from.
"""

from __future__ import annotations

from kerasspec.canonical import Layer
from kerasspec.vocabulary import Producer

INSIDE_NODES = 0
IN_MODEL_IO = 1


def zeroes_node_indices(producer: Producer, where: int) -> bool:
    """Whether ``producer`` writes every node index as 0 here (Keras 3.2.x, inside nodes)."""
    return producer.format == "keras3" and where == INSIDE_NODES and (3, 2) <= producer.version < (3, 3)


def first_node(layer: Layer, producer: Producer, where: int) -> int:
    """The wire node index of ``layer``'s call 0, inside nodes or in the model's inputs/outputs."""
    model = layer.model
    if model is None:
        return 0
    functional = model.class_name != "Sequential"
    if producer.container_writer:
        return 1  # Container.get_config: kept_nodes = 1 for every nested model (spec/keras2.md)
    if producer.format == "keras2":
        starts_with_input = bool(model.layers) and model.layers[0].class_name == "InputLayer"
        return 1 if functional or starts_with_input else 0
    return 1 if functional and where == IN_MODEL_IO else 0
