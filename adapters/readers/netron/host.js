// A stand-in for the Netron viewer's host, enough to open one Keras model JSON from Node the way the
// viewer opens a file: view.ModelFactoryService.open (signature checks, the factories registered for
// `.json`, keras.js's ModelFactory.match and .open, view.Context's JSON peek, view.Metadata reading
// keras-metadata.json). The host only hands Netron the bytes, its own files (modules and metadata),
// and "file not found" for the sibling files Netron looks for (metadata.json, model.weights.*).
// Used by adapter.js (the protocol) and findings.js (the reproductions in adapters/findings/FINDINGS.md).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const NETRON_VERSION = '9.3.3';
// What scripts/test installs: the wheel's `netron/` folder (adapters/readers/netron/requirements.txt).
const DEFAULT_DIR = path.resolve(__dirname, '..', '..', '..', '.cache', 'readers', `netron-${NETRON_VERSION}`, 'netron');
// Netron names the file it opens after the file the user picked; the corpus's files are model.json.
const IDENTIFIER = 'model.json';

class Netron {
  constructor(dir = DEFAULT_DIR) {
    this.dir = dir;
    this.loaded = null;
  }

  host() {
    const fail = (error) => { throw error; };
    return {
      type: 'Node',
      require: (id) => import(pathToFileURL(path.join(this.dir, `${id}.js`)).href),
      asset: async (name) => fs.readFileSync(path.join(this.dir, name), 'utf-8'),
      fetch: async () => { throw new Error('File not found.'); }, // one file, no siblings
      event: () => {},
      error: fail,
      exception: fail,
    };
  }

  // Netron's modules, imported once; fails when Netron is not installed.
  async load() {
    if (this.loaded === null) {
      const { require: load } = this.host();
      const [view, base] = await Promise.all([load('view'), load('base')]);
      this.loaded = { service: new view.ModelFactoryService(this.host()), BinaryStream: base.BinaryStream };
    }
    return this.loaded;
  }

  // The model Netron opens from `text` (its keras.Model: `modules[0]` is the graph); what Netron
  // throws, it throws.
  async open(text) {
    const { service, BinaryStream } = await this.load();
    const bytes = new Uint8Array(Buffer.from(text, 'utf-8'));
    return service.open({ ...this.host(), identifier: IDENTIFIER, stream: new BinaryStream(bytes) });
  }
}

module.exports = { Netron, NETRON_VERSION };
