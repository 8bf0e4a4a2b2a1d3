#!/usr/bin/env node
// A kerasspec protocol adapter in Node.js: copy this file, replace `read` with your parser.
//
// The protocol (spec/protocol.md): one JSON message per line on stdin, one reply per line on stdout.
//   {"cmd":"start","version":1}              -> {"version":1,"implementation":{...},"formats":[...]}
//   {"cmd":"parse","seq":N,"case":ID,"text":T} -> {"seq":N,"document":{...}} or {"seq":N,"error":{code,message}}
//   {"cmd":"stop"}                            -> exit 0, no reply
// Logs go to stderr, never stdout. An exception that is not a rejection ends the process: the harness
// records a crash and restarts the adapter for the next case.
'use strict';

const readline = require('node:readline');
const { read, RejectedModel } = require('./keras3.js');

const PROTOCOL_VERSION = 1;
const IMPLEMENTATION = {
  name: 'kerasspec-node-example',
  version: '0.1.0',
  language: 'javascript',
  homepage: 'https://kerasspec.dev/adapters/examples/node',
};
// Declare only the wire formats you read: the harness will not send the others (outcome `unsupported`).
const FORMATS = ['keras3'];

function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function answer(request) {
  try {
    return { seq: request.seq, document: read(request.text) };
  } catch (error) {
    if (error instanceof RejectedModel) {
      return { seq: request.seq, error: { code: error.code, message: error.message, path: error.path } };
    }
    throw error; // a bug, not a rejection: let the harness see the crash
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const request = JSON.parse(line);
  if (request.cmd === 'start') {
    if (request.version !== PROTOCOL_VERSION) {
      process.stderr.write(`this adapter speaks protocol version ${PROTOCOL_VERSION}\n`);
    }
    reply({ version: PROTOCOL_VERSION, implementation: IMPLEMENTATION, formats: FORMATS });
  } else if (request.cmd === 'parse') {
    reply(answer(request));
  } else if (request.cmd === 'stop') {
    lines.close();
    process.exit(0);
  }
});
