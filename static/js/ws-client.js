/*
 * Hội Thi websocket client, shared by the exam page, the organiser's control panel and the
 * live (stage) screens. Plain ES2017 and no modules, because contestants use old Android
 * phones; everything hangs off window.HoiThi.
 *
 * Three pieces, each usable alone:
 *   - ClockSync: the server owns time. Every pong carries the server's clock; we keep the
 *     samples with the smallest round trip (their error is at most rtt/2) and read
 *     "server now" from them, never from the phone's clock alone.
 *   - Outbox: answers not yet acknowledged survive a reload or a crash in localStorage, one
 *     entry per question, each with a client message id and the revision it replaces, and are
 *     resent after every reconnect (the server treats a resend of the same id as idempotent).
 *   - Connection: one socket with automatic reconnect (exponential backoff with full jitter,
 *     so hundreds of phones do not reconnect in the same millisecond after a server restart),
 *     a heartbeat that doubles as clock sampling, and a visible state in Vietnamese.
 */
(function (global) {
  "use strict";

  var HoiThi = global.HoiThi || (global.HoiThi = {});

  /* ---------------------------------------------------------------- helpers */

  // Client message ids must be unique per attempt across reloads; crypto is on every
  // browser we support, Math.random is the fallback for very old WebViews.
  function newId() {
    var bytes = new Uint8Array(12);
    if (global.crypto && global.crypto.getRandomValues) {
      global.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // Server times arrive as ISO 8601 strings or epoch milliseconds; both become epoch ms.
  function toMillis(value) {
    if (value === null || value === undefined || value === "") return null;
    if (typeof value === "number") return value;
    var ms = Date.parse(value);
    return isNaN(ms) ? null : ms;
  }

  // The organisers' monitor lists contestants as columns + rows (docs/protocol.md,
  // "monitor"); the pages work with one object per contestant.
  function monitorContestants(monitor) {
    var columns = (monitor && monitor.columns) || [];
    return ((monitor && monitor.rows) || []).map(function (values) {
      var row = {};
      columns.forEach(function (name, i) { row[name] = values[i]; });
      return row;
    });
  }

  // Full jitter (AWS architecture blog): a random delay in [0, min(cap, base * 2^n)], with a
  // small floor so a broken server is not hammered in a tight loop.
  function backoffDelay(attempt, baseMs, capMs, random) {
    var ceiling = Math.min(capMs, baseMs * Math.pow(2, attempt));
    return Math.max(baseMs / 2, Math.floor((random || Math.random)() * ceiling));
  }

  /* ---------------------------------------------------------------- clock */

  function ClockSync(maxSamples) {
    this.maxSamples = maxSamples || 8;
    this.samples = [];
  }

  /*
   * One ping/pong exchange: sentAt and receivedAt are Date.now() on this device, serverMs
   * the server's clock when it answered. offset = server - client at the midpoint.
   * A sample inconsistent with the current best beyond both error bounds means the phone's
   * clock was changed (or the device slept through an adjustment): start over.
   */
  ClockSync.prototype.add = function (sentAt, serverMs, receivedAt) {
    var rtt = Math.max(0, receivedAt - sentAt);
    var sample = { offset: serverMs - (sentAt + rtt / 2), rtt: rtt, at: receivedAt };
    var best = this.best();
    if (best && Math.abs(sample.offset - best.offset) > best.rtt / 2 + rtt / 2 + 1000) {
      this.samples = [];
    }
    this.samples.push(sample);
    if (this.samples.length > this.maxSamples) this.samples.shift();
    return sample;
  };

  ClockSync.prototype.best = function () {
    var best = null;
    for (var i = 0; i < this.samples.length; i++) {
      if (!best || this.samples[i].rtt < best.rtt) best = this.samples[i];
    }
    return best;
  };

  ClockSync.prototype.synced = function () { return this.samples.length > 0; };
  ClockSync.prototype.offset = function () { var b = this.best(); return b ? b.offset : 0; };
  ClockSync.prototype.latency = function () { var b = this.best(); return b ? b.rtt : null; };
  ClockSync.prototype.now = function () { return Date.now() + this.offset(); };

  /* ---------------------------------------------------------------- outbox */

  /*
   * Per question at most one message is in flight; a newer local change waits in `next`
   * until the in-flight one is acknowledged, and is then sent against the new revision.
   * Sending two changes against the same base revision would make our own second change
   * look stale to the server.
   */
  function Outbox(key, storage) {
    this.key = key;
    this.storage = storage === undefined ? safeStorage() : storage;
    this.entries = this.load();
  }

  function safeStorage() {
    try {
      var s = global.localStorage;
      s.setItem("hoithi.probe", "1");
      s.removeItem("hoithi.probe");
      return s;
    } catch (e) {
      return null; // private mode or storage full: keep answers in memory only
    }
  }

  Outbox.prototype.load = function () {
    if (!this.storage) return {};
    try {
      var parsed = JSON.parse(this.storage.getItem(this.key) || "{}");
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return {};
    }
  };

  Outbox.prototype.save = function () {
    if (!this.storage) return;
    try {
      if (this.isEmpty()) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(this.entries));
    } catch (e) { /* quota: the in-memory copy still gets resent while the page lives */ }
  };

  Outbox.prototype.isEmpty = function () { return Object.keys(this.entries).length === 0; };
  Outbox.prototype.get = function (question) { return this.entries[question] || null; };

  /* Record a local change. Returns the message to send now, or null if one is in flight. */
  Outbox.prototype.put = function (question, response, baseRevision) {
    var entry = this.entries[question];
    if (entry) {
      entry.next = { response: response };
    } else {
      entry = { cmid: newId(), response: response, base: baseRevision, queuedAt: Date.now() };
      this.entries[question] = entry;
    }
    this.save();
    return entry.next ? null : entry;
  };

  /* The server acknowledged `cmid` as `revision`; returns the follow-up entry to send, if any. */
  Outbox.prototype.ack = function (question, cmid, revision) {
    var entry = this.entries[question];
    if (!entry || entry.cmid !== cmid) return null;
    if (entry.next) {
      entry = { cmid: newId(), response: entry.next.response, base: revision, queuedAt: Date.now() };
      this.entries[question] = entry;
    } else {
      delete this.entries[question];
    }
    this.save();
    return this.entries[question] || null;
  };

  /* Drop an entry (refused for good: stale, closed, too late). */
  Outbox.prototype.drop = function (question) {
    delete this.entries[question];
    this.save();
  };

  Outbox.prototype.clear = function () {
    this.entries = {};
    this.save();
  };

  Outbox.prototype.pending = function () {
    var self = this;
    return Object.keys(this.entries).map(function (q) { return { question: q, entry: self.entries[q] }; });
  };

  /* ---------------------------------------------------------------- connection */

  var STATE_LABELS = {
    connecting: "Đang kết nối…",
    connected: "Đã kết nối",
    reconnecting: "Mất kết nối, đang thử lại…",
    offline: "Không có mạng, sẽ tự kết nối lại",
    stopped: "Đã ngắt kết nối",
  };

  /*
   * options:
   *   url            ws(s) URL (a path is turned into one on this host)
   *   onMessage(msg) every parsed frame except pongs
   *   onOpen()       after every (re)connect: ask for a snapshot, resend the outbox
   *   onState(state, label)   label from options.labels[state], else the Vietnamese default
   *   onStop(code, reason)  the server closed for good (e.g. another device took over)
   *   finalCodes     close codes after which we must not reconnect
   *   heartbeatMs, deadAfterMs, baseDelayMs, maxDelayMs
   */
  function Connection(options) {
    this.options = options;
    this.url = absoluteWsUrl(options.url);
    this.clock = new ClockSync();
    this.attempt = 0;
    this.state = "connecting";
    this.socket = null;
    this.stopped = false;
    this.pings = {};
    this.lastFrameAt = 0;
    this.heartbeatMs = options.heartbeatMs || 10000;
    // Mobile networks keep dead TCP connections "open" for minutes; no frame for this long
    // means the socket is dead even if the browser has not noticed.
    this.deadAfterMs = options.deadAfterMs || 25000;
    this.baseDelayMs = options.baseDelayMs || 500;
    this.maxDelayMs = options.maxDelayMs || 15000;
    this.finalCodes = options.finalCodes || [4001, 4003, 4004]; // docs/protocol.md
    var self = this;
    global.addEventListener("online", function () { self.reconnectNow(); });
    global.addEventListener("offline", function () { self.setState("offline"); });
    // Phones freeze background tabs; on return, check the socket and the clock at once.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") self.checkAlive(true);
    });
  }

  function absoluteWsUrl(url) {
    if (/^wss?:/.test(url)) return url;
    var scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + global.location.host + url;
  }

  Connection.prototype.setState = function (state) {
    if (this.stopped && state !== "stopped") return;
    this.state = state;
    // Pages pass translated labels (from a json_script block); Vietnamese is the fallback.
    var labels = this.options.labels || {};
    if (this.options.onState) this.options.onState(state, labels[state] || STATE_LABELS[state]);
  };

  Connection.prototype.connect = function () {
    var self = this;
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    var socket;
    try {
      socket = new WebSocket(this.url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = function () {
      if (socket !== self.socket) return;
      self.attempt = 0;
      self.lastFrameAt = Date.now();
      self.setState("connected");
      self.startHeartbeat();
      // A burst of pings: the first samples after connecting set the clock quickly.
      self.ping();
      setTimeout(function () { self.ping(); }, 300);
      setTimeout(function () { self.ping(); }, 900);
      if (self.options.onOpen) self.options.onOpen();
    };
    socket.onmessage = function (event) {
      if (socket !== self.socket) return;
      self.lastFrameAt = Date.now();
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg && msg.type === "pong") { self.onPong(msg); return; }
      if (self.options.onMessage) self.options.onMessage(msg);
    };
    socket.onclose = function (event) {
      if (socket !== self.socket) return;
      self.socket = null;
      self.stopHeartbeat();
      if (self.finalCodes.indexOf(event.code) !== -1) {
        self.stop(event.code, event.reason);
        return;
      }
      self.scheduleReconnect();
    };
    socket.onerror = function () { /* onclose follows and decides */ };
  };

  Connection.prototype.scheduleReconnect = function () {
    if (this.stopped) return;
    var self = this;
    var delay = backoffDelay(this.attempt, this.baseDelayMs, this.maxDelayMs);
    this.attempt += 1;
    this.setState(global.navigator.onLine === false ? "offline" : "reconnecting");
    this.retryTimer = setTimeout(function () { self.connect(); }, delay);
  };

  Connection.prototype.reconnectNow = function () {
    if (this.stopped || this.socket) return;
    this.attempt = 0;
    this.connect();
  };

  /* Close a socket that has gone quiet; with `probe`, also ping (after a tab wakes up). */
  Connection.prototype.checkAlive = function (probe) {
    if (this.stopped) return;
    if (!this.socket) { this.reconnectNow(); return; }
    if (this.socket.readyState === 1 && Date.now() - this.lastFrameAt > this.deadAfterMs) {
      this.socket.close();
      return;
    }
    if (probe) this.ping();
  };

  Connection.prototype.startHeartbeat = function () {
    var self = this;
    this.stopHeartbeat();
    this.heartbeat = setInterval(function () { self.ping(); self.checkAlive(false); }, this.heartbeatMs);
  };

  Connection.prototype.stopHeartbeat = function () { clearInterval(this.heartbeat); };

  Connection.prototype.ping = function () {
    var id = newId().slice(0, 8);
    this.pings[id] = Date.now();
    this.send({ type: "ping", id: id });
  };

  Connection.prototype.onPong = function (msg) {
    var sentAt = this.pings[msg.id];
    var serverMs = toMillis(msg.server_time);
    delete this.pings[msg.id];
    if (sentAt === undefined || serverMs === null) return;
    this.clock.add(sentAt, serverMs, Date.now());
    if (this.options.onClock) this.options.onClock(this.clock);
  };

  /* Send a message now; returns false when the socket is not open (the caller keeps it). */
  Connection.prototype.send = function (message) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  };

  Connection.prototype.stop = function (code, reason) {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    if (this.socket) {
      var socket = this.socket;
      this.socket = null;
      try { socket.close(1000); } catch (e) { /* already closing */ }
    }
    this.setState("stopped");
    if (this.options.onStop) this.options.onStop(code, reason);
  };

  /* ---------------------------------------------------------------- small UI helpers */

  /* "mm:ss" (or "h:mm:ss") for a countdown; never negative. */
  function formatDuration(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = (m < 10 ? "0" : "") + m;
    var ss = (s < 10 ? "0" : "") + s;
    return h > 0 ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  /* Accent- and case-folded text for searching Vietnamese names ("Đỗ" matches "do"). */
  function fold(text) {
    var s = String(text || "").toLowerCase().replace(/\u0111/g, "d");
    return s.normalize ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim() : s.trim();
  }

  /* Show a connection state in an element with data-state for styling. */
  function bindStateBadge(element) {
    return function (state, label) {
      if (!element) return;
      element.setAttribute("data-state", state);
      element.textContent = label;
    };
  }

  HoiThi.newId = newId;
  HoiThi.toMillis = toMillis;
  HoiThi.monitorContestants = monitorContestants;
  HoiThi.backoffDelay = backoffDelay;
  HoiThi.ClockSync = ClockSync;
  HoiThi.Outbox = Outbox;
  HoiThi.Connection = Connection;
  HoiThi.formatDuration = formatDuration;
  HoiThi.fold = fold;
  HoiThi.bindStateBadge = bindStateBadge;
  HoiThi.STATE_LABELS = STATE_LABELS;
})(window);
