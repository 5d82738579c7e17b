// The reference: the original Node.js design, rebuilt small for the benchmark (Debian's node-ws).
// A registry Map, first-ready-godot routing, a pending Map with timeouts, JSON-RPC on stdio, as the
// original websocket-manager.js and its MCP server did. Only what the benchmark exercises is here.
//   node server.js --port PORT [--deflate]
'use strict';
const { WebSocketServer } = require('ws');
const crypto = require('crypto');
const readline = require('readline');

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8765);
const COMMAND_TIMEOUT_MS = 10000;
const clients = new Map();   // clientId -> { ws, type, ready }
const pending = new Map();   // command id -> { resolve, timer }

// --deflate: negotiate permessage-deflate (ws has it off by default on servers).
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: process.argv.includes('--deflate') });
server.on('connection', (ws, request) => {
  const clientId = crypto.randomUUID();
  const agent = request.headers['user-agent'] || '';
  const type = agent.includes('Godot') ? 'godot' : (request.url.includes('type=mcp') ? 'mcp' : 'unknown');
  clients.set(clientId, { ws, type, ready: false });
  ws.send(JSON.stringify({ type: 'handshake', clientId, serverVersion: '1.0.0' }));
  ws.on('message', (data) => {
    let message;
    try { message = JSON.parse(data); } catch { return; }
    const client = clients.get(clientId);
    if (message.type === 'identify') {
      client.type = message.clientType || client.type;
      client.ready = true;
    } else if (message.id && pending.has(message.id)) {
      const { resolve, timer } = pending.get(message.id);
      clearTimeout(timer);
      pending.delete(message.id);
      resolve(message);
    }
  });
  ws.on('close', () => clients.delete(clientId));
});

function findGodotClient() {
  for (const client of clients.values()) {
    if (client.type === 'godot' && client.ready && client.ws.readyState === 1) return client;
  }
  return null;
}

function sendCommand(command, params) {
  const client = findGodotClient();
  if (!client) return Promise.reject(new Error('No Godot client connected'));
  const id = crypto.randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { pending.delete(id); reject(new Error('Command timeout')); }, COMMAND_TIMEOUT_MS);
    pending.set(id, { resolve, timer });
    client.ws.send(JSON.stringify({ id, command, params, timestamp: Date.now() }));
  });
}

function reply(id, result) { process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\n'); }

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  if (request.method === 'initialize') {
    reply(request.id, { protocolVersion: request.params.protocolVersion, capabilities: { tools: {} },
                        serverInfo: { name: 'reference', version: '1.0.0' } });
  } else if (request.method === 'tools/call') {
    try {
      const response = await sendCommand(request.params.name, request.params.arguments || {});
      const ok = response.success !== false;
      reply(request.id, { content: [{ type: 'text', text: JSON.stringify(ok ? response.result : response.error) }], isError: !ok });
    } catch (error) {
      reply(request.id, { content: [{ type: 'text', text: error.message }], isError: true });
    }
  } else if (request.id !== undefined) {
    reply(request.id, {});
  }
}).on('close', () => process.exit(0));
