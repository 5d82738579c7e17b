/// The dashboard's two pages, built into the binary (no build step, no CDN). The sign-in page sends the
/// access token once, in a header, to `POST /session`, which answers with an HttpOnly, SameSite=Strict
/// cookie; the token never appears in a URL. The dashboard page then opens the gateway's WebSocket
/// (the cookie authenticates it) and subscribes to snapshots and events.
package enum DashboardPages {
    package static let signIn = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>godot-mcp-gateway — sign in</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
    body{font:15px/1.4 system-ui,sans-serif;background:#1d2229;color:#e6e6e6;display:flex;justify-content:center;margin-top:12vh}
    form{background:#262c35;padding:24px 28px;border-radius:8px;width:360px}
    h1{font-size:18px;margin:0 0 12px}input{width:100%;box-sizing:border-box;padding:8px;margin:8px 0;border-radius:4px;border:1px solid #445;background:#1d2229;color:#eee}
    button{padding:8px 14px;border:0;border-radius:4px;background:#478cbf;color:#fff;cursor:pointer}p{color:#aab}#error{color:#f88}
    </style></head><body>
    <form id="signin"><h1>godot-mcp-gateway</h1>
    <p>Enter the gateway's access token (from <code>~/.config/godot-mcp-gateway/token</code> or <code>GODOT_MCP_TOKEN</code>).</p>
    <input id="token" type="password" autocomplete="current-password" placeholder="access token" required>
    <button type="submit">Sign in</button><p id="error"></p></form>
    <script>
    document.getElementById("signin").addEventListener("submit", async (event) => {
      event.preventDefault();
      const token = document.getElementById("token").value.trim();
      const answer = await fetch("/session", {method: "POST", headers: {"Authorization": "Bearer " + token}});
      if (answer.ok) { location.reload(); } else { document.getElementById("error").textContent = "The gateway refused that token."; }
    });
    </script></body></html>
    """#

    package static let dashboard = #"""
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>godot-mcp-gateway</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
    body{font:14px/1.4 system-ui,sans-serif;background:#1d2229;color:#e6e6e6;margin:20px}
    h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px;color:#9cc4e4}
    #numbers{display:flex;gap:12px;flex-wrap:wrap}.number{background:#262c35;border-radius:6px;padding:10px 14px;min-width:110px}
    .number b{display:block;font-size:22px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #333b47}
    th{color:#aab;font-weight:normal}#status{color:#aab}.ok{color:#8d8}.bad{color:#f88}
    </style></head><body>
    <h1>godot-mcp-gateway</h1><div id="status">connecting…</div>
    <div id="numbers">
    <div class="number">editors<b id="editors">–</b></div><div class="number">calls/s<b id="rate">–</b></div>
    <div class="number">commands sent<b id="sent">–</b></div><div class="number">latency p50 / p99 (ms)<b id="latency">–</b></div>
    <div class="number">errors<b id="errors">–</b></div><div class="number">waiting calls<b id="waiting">–</b></div>
    </div>
    <h2>Clients</h2><table><thead><tr><th>client</th><th>type</th><th>project</th><th>ready</th><th>in flight</th><th>messages in/out</th></tr></thead><tbody id="clients"></tbody></table>
    <h2>Recent events</h2><table><thead><tr><th>time</th><th>editor</th><th>event</th><th>data</th></tr></thead><tbody id="events"></tbody></table>
    <h2>Scene locks</h2><table><thead><tr><th>scene</th><th>held by</th></tr></thead><tbody id="locks"></tbody></table>
    <h2>Errors by kind</h2><table><tbody id="errorKinds"></tbody></table>
    <script>
    const text = (value) => document.createTextNode(value === undefined || value === null ? "" : String(value));
    function rows(id, items, cells) {
      const body = document.getElementById(id); body.replaceChildren();
      for (const item of items) { const row = document.createElement("tr");
        for (const cell of cells(item)) { const td = document.createElement("td"); td.appendChild(text(cell)); row.appendChild(td); }
        body.appendChild(row); }
    }
    function show(snapshot) {
      const clients = snapshot.clients || [], stats = snapshot.stats || {};
      document.getElementById("editors").textContent = clients.filter(c => c.type === "godot" && c.ready).length;
      document.getElementById("rate").textContent = snapshot.callsPerSecond;
      document.getElementById("sent").textContent = stats.commandsSent;
      document.getElementById("latency").textContent = snapshot.latencyMs.p50 + " / " + snapshot.latencyMs.p99;
      document.getElementById("errors").textContent = stats.commandsFailed;
      document.getElementById("waiting").textContent = (stats.callsWaitingForEditor || 0) + (stats.queuedCommands || 0);
      rows("clients", clients, c => [c.clientId, c.type, (c.identity || {}).projectName, c.ready ? "yes" : "no", c.inFlightCommands, c.messagesIn + " / " + c.messagesOut]);
      rows("events", (snapshot.events || []).slice().reverse(), e => [new Date(e.timestamp).toLocaleTimeString(), e.clientId, e.event, JSON.stringify(e.data)]);
      rows("locks", snapshot.locks || [], l => [l.scene, l.holder]);
      rows("errorKinds", Object.entries(snapshot.errors || {}), e => [e[0], e[1]]);
    }
    function connect() {
      const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/?type=dashboard");
      const status = document.getElementById("status");
      socket.onopen = () => { socket.send(JSON.stringify({type: "subscribe", events: ["*", "snapshot"]})); status.textContent = "live"; status.className = "ok"; };
      socket.onmessage = (message) => { const data = JSON.parse(message.data); if (data.type === "snapshot") show(data); };
      socket.onclose = () => { status.textContent = "disconnected; retrying…"; status.className = "bad"; setTimeout(connect, 2000); };
    }
    connect();
    </script></body></html>
    """#
}
