"""A laptop's MCP host uses a studio's gateway: the host starts godot-mcp-gateway --upstream wss://…,
which has no listener of its own and relays every call over one WSS connection to the service; tools are
listed and called as locally, and when the service restarts the laptop side reconnects by itself."""
import asyncio
import os
import signal
import ssl
import subprocess
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from fake_editor import FakeEditor
from gateway import GATEWAY_BIN, free_port
from test_service import start_service

REPO = Path(__file__).resolve().parents[2]


async def wss_editor(port: int, ca: Path) -> FakeEditor:
    import websockets
    context = ssl.create_default_context(cafile=str(ca))
    editor = FakeEditor(port, identity={"projectName": "Studio Game"})
    editor.url = f"wss://localhost:{port}/"
    original = websockets.connect
    websockets.connect = lambda url, **kw: original(url, ssl=context, **kw)
    try:
        return await editor.start()
    finally:
        websockets.connect = original


async def test_an_mcp_host_uses_a_remote_gateway_over_wss_and_survives_its_restart(tmp_path):
    subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(tmp_path)], check=True, capture_output=True)
    port = free_port()
    service_args = ("--port", str(port), "--host", "localhost", "--tls-cert", str(tmp_path / "server.pem"),
                    "--tls-key", str(tmp_path / "server-key.pem"))
    service = await start_service(*service_args, env=dict(os.environ))
    editor = await wss_editor(port, tmp_path / "ca.pem")
    params = StdioServerParameters(command=GATEWAY_BIN, args=[
        "--upstream", f"wss://localhost:{port}", "--upstream-ca", str(tmp_path / "ca.pem"), "--port", str(free_port())],
        env=dict(os.environ))
    try:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                async with asyncio.timeout(10):
                    while True:
                        result = await session.call_tool("get_scene_tree", {})
                        if not result.is_error:
                            break
                        await asyncio.sleep(0.05)  # the link is still opening
                assert "get_scene_tree" in result.content[0].text
                names = {tool.name for tool in (await session.list_tools()).tools}
                assert "get_scene_tree" in names and "lock_scene" in names
                result = await session.call_tool("get_node_properties", {"node_path": "/root", "client": "studio"})
                assert not result.is_error and "/root" in result.content[0].text
                # The service restarts: calls meanwhile end clearly, naming the upstream; then it works again.
                service.send_signal(signal.SIGTERM)
                await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)
                result = await session.call_tool("get_scene_tree", {})
                assert result.is_error and f"wss://localhost:{port}" in result.content[0].text
                service = await start_service(*service_args, env=dict(os.environ))
                editor = await wss_editor(port, tmp_path / "ca.pem")
                async with asyncio.timeout(15):
                    while (await session.call_tool("get_scene_tree", {"wait_seconds": 5})).is_error:
                        await asyncio.sleep(0.1)
                await editor.close()
    finally:
        if service.poll() is None:
            service.send_signal(signal.SIGTERM)
            await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)


async def test_a_host_on_another_machine_uses_the_studio_service_over_wss(tmp_path):
    """Two machines: the studio's service in a network namespace of its own, the laptop's MCP host and an
    editor in the root namespace, across a veth link, over WSS."""
    from test_network_faults import FaultyLink
    with FaultyLink() as link:
        studio = link.editor_address  # the namespace's end of the link
        env = dict(os.environ, EXTRA_SAN=f"IP:{studio}")
        subprocess.run(["bash", str(REPO / "certs" / "make-test-certs.sh"), str(tmp_path)], check=True, capture_output=True, env=env)
        port = free_port()
        service = await start_service("--port", str(port), "--host", studio, "--tls-cert", str(tmp_path / "server.pem"),
                                      "--tls-key", str(tmp_path / "server-key.pem"), env=dict(os.environ),
                                      prefix=("ip", "netns", "exec", link.namespace))
        try:
            import websockets
            context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
            editor = FakeEditor(port, identity={"projectName": "Studio Game"})
            editor.url = f"wss://{studio}:{port}/"
            original = websockets.connect
            websockets.connect = lambda url, **kw: original(url, ssl=context, **kw)
            try:
                await editor.start()
            finally:
                websockets.connect = original
            params = StdioServerParameters(command=GATEWAY_BIN, args=[
                "--upstream", f"wss://{studio}:{port}", "--upstream-ca", str(tmp_path / "ca.pem"), "--port", str(free_port())],
                env=dict(os.environ))
            async with stdio_client(params) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    async with asyncio.timeout(10):
                        while (result := await session.call_tool("get_node_properties", {"node_path": "/root/Net"})).is_error:
                            await asyncio.sleep(0.05)  # the link is still opening
                    assert "/root/Net" in result.content[0].text
            await editor.close()
        finally:
            service.send_signal(signal.SIGTERM)
            await asyncio.get_running_loop().run_in_executor(None, service.wait, 10)
