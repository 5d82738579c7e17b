"""The wire protocol where the real socket layer is the point: the size cap, fragmented frames, HTTP on both
loopback families, the listening addresses, a port in use. Handshake, identify, the client type and bad
input are tested in process, through the engine (Tests/GatewayEngineTests/ProtocolThroughTheEngineTests.swift)."""
import asyncio
import json
import urllib.error
import urllib.request


from fake_editor import FakeEditor
from gateway import mcp_gateway


async def test_oversize_message_closes_only_that_client_with_1009():
    async with mcp_gateway("--max-message-size", "65536") as gateway:
        offender = await FakeEditor(gateway.port).start()
        bystander = await FakeEditor(gateway.port).start()
        await offender.identified()
        await bystander.identified()
        await offender.send(json.dumps({"type": "heartbeat_response", "pad": "x" * 100_000}))
        await asyncio.wait_for(offender.closed.wait(), 5)
        assert offender.close_code == 1009
        await gateway.wait_for_clients(lambda c: [x["clientId"] for x in c] == [bystander.client_id])
        # The bystander now receives commands; a message just under the cap is fine.
        await bystander.send(json.dumps({"type": "heartbeat_response", "pad": "y" * 60_000}))
        assert (await gateway.call_json("get_scene_tree"))["command"] == "get_scene_tree"
        await bystander.close()


async def test_a_fragmented_large_result_arrives_whole():
    big = "z" * (3 * 1024 * 1024)
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port, handler=lambda c, p: {"success": True, "result": {"blob": big}, "error": None}).start()
        await editor.identified()
        assert (await gateway.call_json("get_scene_tree"))["blob"] == big
        await editor.close()


def _http_get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_health_endpoint_and_404():
    async with mcp_gateway() as gateway:
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        status, body = await asyncio.to_thread(_http_get, gateway.port, "/health")
        assert status == 200
        assert body["status"] == "ok" and body["clients"] == 1 and body["version"] and body["uptime"] >= 0
        status, body = await asyncio.to_thread(_http_get, gateway.port, "/health", "[::1]")
        assert status == 200
        status, _ = await asyncio.to_thread(_http_get, gateway.port, "/admin")
        assert status == 404
        await editor.close()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses in LISTEN state for `port`, read from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            next(handle)
            for line in handle:
                fields = line.split()
                address, port_hex = fields[1].split(":")
                if int(port_hex, 16) == port and fields[3] == "0A":
                    found.add(address)
    return found


async def test_default_host_listens_on_loopback_only_on_both_families():
    async with mcp_gateway() as gateway:
        addresses = _listening_addresses(gateway.port)
        wildcards = {"00000000", "00000000000000000000000000000000"}
        assert addresses, "nothing listening"
        assert not addresses & wildcards, f"listening on a wildcard address: {addresses}"
        assert addresses <= {"0100007F", "00000000000000000000000001000000",  # 127.0.0.1, ::1
                             "0000000000000000FFFF00000100007F"}, addresses  # ::ffff:127.0.0.1
        for host in ("127.0.0.1", "[::1]", "localhost"):
            editor = await FakeEditor(gateway.port, host=host).start()
            assert editor.client_id
            await editor.close()


async def test_port_in_use_is_a_clear_error_and_nonzero_exit():
    """Held by something that is not a gateway (a gateway holding it is relayed through instead)."""
    import socket
    from gateway import RawGateway
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        second = RawGateway(port=holder.getsockname()[1])
        await second.start(wait_listening=False)
        code = await second.wait_exit(10)
        assert code != 0
        assert any("already in use" in line for line in second.stderr_lines), second.stderr_lines
