"""The reference design again, on Python's `websockets` (asyncio): the same registry dict, first-ready-godot
routing, pending dict with timeouts and JSON-RPC on stdio as bench/reference/server.js, so the benchmark can
show how the gateway compares with a typical Python implementation too. Only what the benchmark exercises.
    python server.py --port PORT [--deflate]
"""
import asyncio
import json
import sys
import time
import uuid

import websockets

COMMAND_TIMEOUT = 10.0


def compact(value) -> str:
    # Like JSON.stringify: no spaces (the load generator scans for `"id":` without parsing).
    return json.dumps(value, separators=(",", ":"))


clients: dict[str, dict] = {}  # clientId -> {"ws", "type", "ready"}
pending: dict[str, asyncio.Future] = {}


async def on_connection(ws) -> None:
    client_id = str(uuid.uuid4())
    agent = ws.request.headers.get("User-Agent", "")
    kind = "godot" if "Godot" in agent else ("mcp" if "type=mcp" in ws.request.path else "unknown")
    clients[client_id] = {"ws": ws, "type": kind, "ready": False}
    try:
        await ws.send(compact({"type": "handshake", "clientId": client_id, "serverVersion": "1.0.0"}))
        async for data in ws:
            try:
                message = json.loads(data)
            except ValueError:
                continue
            if message.get("type") == "identify":
                clients[client_id]["type"] = message.get("clientType") or kind
                clients[client_id]["ready"] = True
            elif (future := pending.pop(message.get("id"), None)) is not None and not future.done():
                future.set_result(message)
    except websockets.ConnectionClosed:
        pass
    finally:
        clients.pop(client_id, None)


def find_godot_client():
    for client in clients.values():
        if client["type"] == "godot" and client["ready"] and client["ws"].state is websockets.protocol.State.OPEN:
            return client
    return None


async def send_command(command: str, params: dict) -> dict:
    client = find_godot_client()
    if client is None:
        raise RuntimeError("No Godot client connected")
    command_id = str(uuid.uuid4())
    future = asyncio.get_running_loop().create_future()
    pending[command_id] = future
    await client["ws"].send(compact({"id": command_id, "command": command, "params": params,
                                        "timestamp": int(time.time() * 1000)}))
    try:
        return await asyncio.wait_for(future, COMMAND_TIMEOUT)
    except TimeoutError:
        raise RuntimeError("Command timeout") from None
    finally:
        pending.pop(command_id, None)


def reply(request_id, result) -> None:
    sys.stdout.write(compact({"jsonrpc": "2.0", "id": request_id, "result": result}) + "\n")
    sys.stdout.flush()


async def handle(request: dict) -> None:
    if request.get("method") == "initialize":
        reply(request["id"], {"protocolVersion": request["params"]["protocolVersion"], "capabilities": {"tools": {}},
                              "serverInfo": {"name": "reference-python", "version": "1.0.0"}})
    elif request.get("method") == "tools/call":
        try:
            response = await send_command(request["params"]["name"], request["params"].get("arguments") or {})
            ok = response.get("success") is not False
            text = compact(response.get("result") if ok else response.get("error"))
            reply(request["id"], {"content": [{"type": "text", "text": text}], "isError": not ok})
        except RuntimeError as error:
            reply(request["id"], {"content": [{"type": "text", "text": str(error)}], "isError": True})
    elif "id" in request:
        reply(request["id"], {})


async def main() -> None:
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 8765
    compression = "deflate" if "--deflate" in sys.argv else None
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    tasks = set()
    async with websockets.serve(on_connection, "127.0.0.1", port, max_size=None, compression=compression,
                                ping_interval=None):
        while line := await reader.readline():
            try:
                request = json.loads(line)
            except ValueError:
                continue
            task = asyncio.create_task(handle(request))
            tasks.add(task)
            task.add_done_callback(tasks.discard)


if __name__ == "__main__":
    asyncio.run(main())
