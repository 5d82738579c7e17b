// The original server's WebSocket side — websocket-manager.js of chris-pws/estragon, unchanged — behind a
// small stdio JSON-RPC shim of ours (the original's MCP side needs @modelcontextprotocol/sdk 0.5, which
// Debian does not package). Its code is read from a local copy and never committed here:
//   ESTRAGON_SRC=/path/to/estragon/src node original.mjs --port PORT
// The two files it needs are copied into a temporary folder whose node_modules points at Debian's ws and
// uuid, because ES modules ignore NODE_PATH. Tool results are shaped as the original's index.js and
// godot-tools.js shape them.
import fs from 'fs';
import os from 'os';
import path from 'path';
import readline from 'readline';

const source = process.env.ESTRAGON_SRC;
if (!source || !fs.existsSync(path.join(source, 'websocket-manager.js'))) {
  console.error('ESTRAGON_SRC must name the src/ folder of a local copy of chris-pws/estragon');
  process.exit(2);
}
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'estragon-'));
fs.mkdirSync(path.join(folder, 'node_modules'));
// Each module from the first NODE_PATH folder that has it (a copy unpacked without root can be named there).
const modulePaths = [...(process.env.NODE_PATH || '').split(':').filter(Boolean), '/usr/share/nodejs'];
for (const name of ['ws', 'uuid']) {
  const found = modulePaths.map((dir) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!found) { console.error(`node module ${name} not found in ${modulePaths.join(', ')}`); process.exit(2); }
  fs.symlinkSync(found, path.join(folder, 'node_modules', name));
}
for (const name of ['websocket-manager.js', 'errors.js']) fs.copyFileSync(path.join(source, name), path.join(folder, name));
fs.writeFileSync(path.join(folder, 'package.json'), '{"type":"module"}');
process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8765);
const { WebSocketManager } = await import(path.join(folder, 'websocket-manager.js'));
const manager = new WebSocketManager(port);
await manager.start();

function reply(id, result) { process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\n'); }

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  let request;
  try { request = JSON.parse(line); } catch { return; }
  if (request.method === 'initialize') {
    reply(request.id, { protocolVersion: request.params.protocolVersion, capabilities: { tools: {} },
                        serverInfo: { name: 'godot4-mcp-server', version: '0.1.0' } });
  } else if (request.method === 'tools/call') {
    const name = request.params.name;
    try {
      const result = await manager.sendCommand(name, request.params.arguments || {});
      const wrapped = { success: true, tool: name, result, timestamp: new Date().toISOString() };
      reply(request.id, { content: [{ type: 'text', text: JSON.stringify(wrapped, null, 2) }] });
    } catch (error) {
      reply(request.id, { content: [{ type: 'text', text: `Error: Failed to execute ${name}: ${error.message}` }], isError: true });
    }
  } else if (request.id !== undefined) {
    reply(request.id, {});
  }
}).on('close', () => { manager.stop().finally(() => process.exit(0)); });
