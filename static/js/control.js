/*
 * The organiser's live control panel (docs/protocol.md, "/control/"). Every button sends one
 * command with an id; the page changes only from what the server sends back (`done`,
 * `round.state`, `monitor`), so two organisers looking at the same round always see the same
 * state, and a command lost on a bad network is simply not shown as done.
 */
(function () {
  "use strict";

  var H = window.HoiThi;
  var config = JSON.parse(document.getElementById("control-config").textContent);
  var L = config.labels;
  var $ = function (id) { return document.getElementById(id); };
  var round = null;
  var monitor = null;
  var pending = {}; // command id -> action, to name it in the log when `done` arrives
  var timeCells = [];

  var conn = new H.Connection({
    url: config.wsPath,
    labels: config.connLabels,
    onState: H.bindStateBadge($("conn-state")),
    onMessage: onMessage,
    onStop: function () { feedback(L.forbidden || "", true); },
  });

  function onMessage(msg) {
    switch (msg.type) {
      case "snapshot":
        round = msg.round;
        renderActions(msg.actions || []);
        renderRound();
        if (msg.monitor) { monitor = msg.monitor; renderMonitor(); }
        break;
      case "round.state":
        round = msg.round;
        renderRound();
        // The allowed actions depend on the new state: ask for a fresh snapshot.
        conn.send({ type: "resync" });
        log(L.events[msg.event] || msg.event);
        break;
      case "monitor":
        monitor = msg;
        renderMonitor();
        break;
      case "done":
        round = msg.round || round;
        log(L.done.replace("%(action)s", pending[msg.ref] || L.actions[msg.action] || msg.action));
        delete pending[msg.ref];
        if (msg.action === "announce") feedback(L.announced, false);
        renderRound();
        break;
      case "announcement":
        log(L.announcement + ": " + msg.text);
        break;
      case "resync":
        conn.send({ type: "resync" });
        break;
      case "error":
        delete pending[msg.ref];
        feedback(msg.message, true);
        log("⚠ " + msg.message);
        break;
    }
  }

  function command(type, fields, label) {
    var message = { type: type, id: H.newId() };
    Object.keys(fields || {}).forEach(function (k) { message[k] = fields[k]; });
    pending[message.id] = label || (L.actions[type] || type);
    if (!conn.send(message)) feedback(config.connLabels.reconnecting, true);
  }

  /* ------------------------------------------------------------ rendering */

  function renderActions(actions) {
    var box = $("round-actions");
    box.innerHTML = "";
    actions.forEach(function (action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button" + (action === "close" || action === "reset" ? " secondary" : "");
      b.textContent = L.actions[action] || action;
      b.setAttribute("data-action", action);
      box.appendChild(b);
    });
  }

  // "15:25 27/11" in Hà Nội time whatever the organiser's computer is set to.
  function timeText(iso) {
    if (!iso) return "";
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", hour12: false,
    }).formatToParts(new Date(H.toMillis(iso))).forEach(function (p) { parts[p.type] = p.value; });
    return parts.hour + ":" + parts.minute + " " + parts.day + "/" + parts.month;
  }

  function renderRound() {
    if (!round) return;
    var pill = $("round-state");
    pill.setAttribute("data-state", round.state);
    pill.textContent = L.roundStates[round.state] || round.state;
    var parts = [];
    if (round.started_at) parts.push(L.startedAt + " " + timeText(round.started_at));
    else if (round.opens_at) parts.push(L.opensAt + " " + timeText(round.opens_at));
    if (round.closes_at) parts.push(L.closesAt + " " + timeText(round.closes_at));
    $("round-times").textContent = parts.join(" · ");
  }

  function ago(iso) {
    if (!iso) return L.never;
    var seconds = Math.max(0, Math.round((conn.clock.now() - H.toMillis(iso)) / 1000));
    return seconds < 120 ? L.secondsAgo.replace("%(n)s", seconds) : L.minutesAgo.replace("%(n)s", Math.round(seconds / 60));
  }

  function remaining(row) {
    if (row.state !== "in_progress" || !row.deadline) return "";
    var end = H.toMillis(row.deadline);
    if (round && round.state === "paused" && round.paused_at) return H.formatDuration(end - H.toMillis(round.paused_at));
    return H.formatDuration(end - conn.clock.now());
  }

  function cell(tr, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function renderMonitor() {
    if (!monitor) return;
    Object.keys(monitor.counts || {}).forEach(function (key) {
      var dd = document.querySelector('[data-count="' + key + '"]');
      if (dd) dd.textContent = monitor.counts[key];
    });
    var filter = H.fold($("monitor-filter").value);
    var body = $("monitor-rows");
    // Rebuilding the rows must not throw a keyboard user's focus away: remember which row
    // button had it and give it back afterwards.
    var focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest("[data-row-action]") : null;
    var focusKey = focused ? focused.getAttribute("data-row-action") + ":" + focused.getAttribute("data-attempt") : null;
    timeCells = [];
    body.innerHTML = "";
    var rows = H.monitorContestants(monitor).filter(function (row) {
      var text = row.code + " " + row.name + " " + row.unit;
      return !filter || H.fold(text).indexOf(filter) !== -1;
    });
    if (!rows.length) {
      var tr = document.createElement("tr");
      cell(tr, L.noContestants).colSpan = 7;
      body.appendChild(tr);
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var who = cell(tr, "", "who");
      who.appendChild(document.createTextNode(row.name));
      var small = document.createElement("div");
      small.className = "countdown-label";
      small.textContent = row.code + " · " + row.unit;
      who.appendChild(small);
      cell(tr, L.states[row.state] || row.state);
      var answered = row.question_count ? row.answered + "/" + row.question_count : String(row.answered);
      cell(tr, row.attempt_id ? answered : "", "num");
      timeCells.push({ row: row, remaining: cell(tr, "", "num"), seen: cell(tr, "", row.connected ? "dot-on" : "dot-off") });
      cell(tr, row.device_switches + " / " + row.focus_losses, "num");
      var actions = cell(tr, "");
      if (row.state === "in_progress") {
        var box = document.createElement("div");
        box.className = "row-actions";
        box.appendChild(rowButton(L.extendOne, "extend", row));
        box.appendChild(rowButton(L.forceSubmit, "force", row));
        actions.appendChild(box);
      }
      body.appendChild(tr);
    });
    tickTimes();
    if (focusKey) {
      var parts = focusKey.split(":");
      var again = body.querySelector('[data-row-action="' + parts[0] + '"][data-attempt="' + parts[1] + '"]');
      if (again) again.focus();
    }
  }

  // Remaining time and "last seen" move with the (server) clock between monitor frames.
  function tickTimes() {
    timeCells.forEach(function (c) {
      c.remaining.textContent = remaining(c.row);
      // The dot's shape (● / ○) shows the state; the words are for screen readers.
      c.seen.innerHTML = "";
      var sr = document.createElement("span");
      sr.className = "visually-hidden";
      sr.textContent = (c.row.connected ? L.connected : L.disconnected) + ", ";
      c.seen.appendChild(sr);
      c.seen.appendChild(document.createTextNode(ago(c.row.last_seen)));
    });
  }

  function rowButton(text, kind, row) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("data-row-action", kind);
    b.setAttribute("data-attempt", row.attempt_id);
    b.setAttribute("data-name", row.name);
    b.setAttribute("aria-label", text + ": " + row.name);
    return b;
  }

  function feedback(text, isError) {
    var box = $("feedback");
    box.textContent = text;
    box.className = "notice" + (isError ? " err" : "");
    box.hidden = !text;
  }

  function log(text) {
    var li = document.createElement("li");
    li.textContent = new Date(conn.clock.now()).toLocaleTimeString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }) + " · " + text;
    $("log").insertBefore(li, $("log").firstChild);
  }

  /* ------------------------------------------------------------ events */

  var NEEDS_CONFIRM = { start: true, close: true, reset: true };

  $("round-actions").addEventListener("click", function (event) {
    var b = event.target.closest("[data-action]");
    if (!b) return;
    var action = b.getAttribute("data-action");
    if (NEEDS_CONFIRM[action] && !window.confirm(L.confirm[action])) return;
    command(action);
  });

  $("extend-all-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var minutes = parseInt($("extend-minutes").value, 10);
    if (minutes >= 1 && minutes <= 600) command("extend_all", { minutes: minutes }, L.extendAll.replace("%(n)s", minutes));
  });

  $("announce-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("announce-text").value.trim();
    if (!text) return;
    command("announce", { text: text });
    $("announce-text").value = "";
  });

  $("monitor-rows").addEventListener("click", function (event) {
    var b = event.target.closest("[data-row-action]");
    if (!b) return;
    var attempt = parseInt(b.getAttribute("data-attempt"), 10);
    var name = b.getAttribute("data-name");
    if (b.getAttribute("data-row-action") === "force") {
      if (window.confirm(L.confirm.forceSubmit.replace("%(name)s", name))) {
        command("force_submit", { attempt: attempt }, L.forceSubmit + ": " + name);
      }
      return;
    }
    var answer = window.prompt(L.extendPrompt.replace("%(name)s", name), "5");
    var minutes = parseInt(answer, 10);
    if (minutes >= 1 && minutes <= 600) command("extend_one", { attempt: attempt, minutes: minutes }, L.extendOne + ": " + name);
  });

  $("monitor-filter").addEventListener("input", renderMonitor);
  setInterval(tickTimes, 1000);
  conn.connect();
})();
