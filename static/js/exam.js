/*
 * The contestant's round page: lobby, exam and finish screens, all driven by the contestant
 * socket (docs/protocol.md, "/play/"). The server's snapshot is the truth: after every
 * (re)connect it replaces our state, then whatever this browser still holds unacknowledged
 * (the outbox in localStorage) is resent with its original ids, which the server treats as
 * idempotent. An answer shows ✓ only after the server's ack, which it sends after commit.
 */
(function () {
  "use strict";

  var H = window.HoiThi;
  var config = JSON.parse(document.getElementById("exam-config").textContent);
  var L = config.labels;
  var qLabels = H.questionLabels(config.questionLabels);
  qLabels.uploadEnabled = !!config.uploadUrl;
  var $ = function (id) { return document.getElementById(id); };

  var state = {
    round: null,
    attempt: null,
    paper: null,
    paperFor: null,        // attempt id the rendered questions belong to
    answers: {},           // slot -> {revision, response} as stored on the server
    fileNames: {},         // upload id -> the uploaded file's name (file questions)
    flags: {},             // slot -> true
    unsentFlags: {},       // slot -> flagged, changed while offline
    current: 0,
    waitedInLobby: false,  // saw the round before it opened: enter automatically at the start
    deadlineHandled: false,
    submitting: false,
    canEnter: false,
  };
  var outbox = null;
  var textTimers = {};
  var START_FALLBACK_MS = 10000;

  /* ------------------------------------------------------------ device and connection */

  // One id per browser profile: a reload is not a device switch, another phone is.
  function deviceId() {
    var key = "hoithi.device";
    try {
      var id = localStorage.getItem(key);
      if (!id) { id = H.newId(); localStorage.setItem(key, id); }
      return id;
    } catch (e) {
      return H.newId();
    }
  }

  var conn = new H.Connection({
    url: config.wsPath + "?device=" + encodeURIComponent(deviceId()),
    labels: config.connLabels,
    onState: function (s, label) {
      H.bindStateBadge($("conn-state"))(s, label);
      refreshAllSaveStates();
    },
    onMessage: onMessage,
    onStop: function (code) {
      // Only a takeover can be undone from here (by taking the attempt back).
      $("take-back").hidden = code !== 4001;
      showStopped(code === 4001 ? L.takeover : L.forbidden);
    },
  });

  /* ------------------------------------------------------------ messages */

  function onMessage(msg) {
    switch (msg.type) {
      case "snapshot": applySnapshot(msg); break;
      case "ack": onAck(msg); break;
      case "refused": onRefused(msg); break;
      case "round.state": onRoundState(msg); break;
      case "attempt.updated": state.attempt = msg.attempt; render(); break;
      case "submitted": onSubmitted(msg.attempt); break;
      case "announcement": announce(msg.text, msg.at); break;
      case "takeover": conn.stop(4001, ""); break;
      case "resync": conn.send({ type: "resync" }); break;
      case "error": onError(msg); break;
    }
  }

  function applySnapshot(snap) {
    if (snap.protocol !== 1) { window.location.reload(); return; }
    if (!state.round || state.round.state !== "open") {
      if (snap.round.state === "scheduled" || snap.round.state === "draft") state.waitedInLobby = true;
    }
    state.round = snap.round;
    state.attempt = snap.attempt;
    state.canEnter = snap.can_enter;
    state.entryRefusal = snap.entry_refusal;
    state.attemptsUsed = snap.attempts_used;
    $("contestant-name").textContent = snap.contestant.name + " · " + snap.contestant.code;
    state.answers = {};
    Object.keys(snap.answers || {}).forEach(function (slot) {
      var saved = snap.answers[slot];
      state.answers[slot] = saved;
      if (saved.file) state.fileNames[saved.response.upload_id] = saved.file.name;
    });
    if (snap.paper && snap.attempt) {
      openOutbox(snap.attempt.id);
      state.flags = {};
      (snap.flags || []).forEach(function (slot) { state.flags[slot] = true; });
      Object.keys(state.unsentFlags).forEach(function (slot) {
        var flagged = state.unsentFlags[slot];
        if (flagged) state.flags[slot] = true; else delete state.flags[slot];
        conn.send({ type: "flag", slot: parseInt(slot, 10), flagged: flagged });
      });
      state.unsentFlags = {};
      if (state.paperFor !== snap.attempt.id) buildPaper(snap.paper, snap.attempt.id);
      showAnswers();
      if (snap.attempt.state === "in_progress") {
        resendOutbox();
        // A submit cut off by the network is asked again once the outbox has drained.
        if (state.submitting) { state.submitId = null; maybeFinishSubmit(); }
      }
    }
    if (snap.attempt && snap.attempt.state === "submitted" && outbox) outbox.clear();
    // After a reload the latest announcement is shown again (newest first in the snapshot).
    var latest = (snap.announcements || [])[0];
    if (latest && $("announcement").hidden && !(snap.attempt && snap.attempt.state === "submitted")) {
      announce(latest.text, latest.at, false);
    }
    maybeAutoEnter();
    render();
  }

  function onRoundState(msg) {
    var before = state.round ? state.round.state : null;
    if (before !== "open" && msg.round.state !== "open" && msg.round.state !== "closed") state.waitedInLobby = true;
    state.round = msg.round;
    // Refusals for "not_open" / "paused" stay in the outbox: send them again now.
    if (msg.event === "round.resumed" || msg.event === "round.started") resendOutbox();
    if (msg.event === "round.started" && serverEntersAtStart()) {
      // The server enters a contestant who waited in the lobby by itself and sends the
      // snapshot with the paper (or, if refused, the lobby's): nothing to ask. Should it not
      // come, a resync lets maybeAutoEnter do it.
      setTimeout(function () {
        if (!state.attempt || state.attempt.state === "ready") conn.send({ type: "resync" });
      }, START_FALLBACK_MS);
    } else if (msg.event === "round.started" || msg.event === "round.resumed" || msg.event === "round.closed") {
      // Entry rules depend on the round's state; the snapshot says whether we may enter now.
      conn.send({ type: "resync" });
    }
    render();
  }

  // The server's rule (contest.snapshots.enters_at_start), seen from the lobby's snapshot.
  function serverEntersAtStart() {
    var r = state.round;
    return state.waitedInLobby && state.entryRefusal === "not_open" && !r.requires_access_code &&
      (!state.attempt || state.attempt.state === "ready");
  }

  function onError(msg) {
    if (msg.ref && msg.ref === state.enterId) {
      state.enterId = null;
      showLobbyError(L.refusals[msg.reason] || msg.message);
      conn.send({ type: "resync" }); // the lobby shows what the refusal changed
      return;
    }
    if (msg.ref && msg.ref === state.submitId) {
      state.submitId = null;
      state.submitting = false;
      conn.send({ type: "resync" }); // already submitted or closed: the snapshot says which
    }
    announce(msg.message, null, true);
  }

  /* ------------------------------------------------------------ entering */

  function enter() {
    var code = $("access-code");
    state.enterId = H.newId();
    showLobbyError("");
    conn.send({ type: "enter", id: state.enterId, access_code: code ? code.value.trim() : "" });
  }

  // A contestant who waited in the lobby for the start gets the paper the moment it opens;
  // one who arrives later (or needs an access code) presses "Vào thi" deliberately.
  function maybeAutoEnter() {
    var r = state.round;
    if (!state.waitedInLobby || !state.canEnter || r.state !== "open" || r.requires_access_code) return;
    if (state.attempt && state.attempt.state !== "ready") return;
    state.waitedInLobby = false;
    enter();
  }

  /* ------------------------------------------------------------ the paper */

  function buildPaper(paper, attemptId) {
    var box = $("questions");
    var nav = $("nav-grid");
    box.innerHTML = "";
    nav.innerHTML = "";
    state.paper = paper;
    state.paperFor = attemptId;
    state.deadlineHandled = false;
    state.warned = {};
    paper.forEach(function (q, index) {
      var card = document.createElement("section");
      card.className = "question-card";
      card.id = "question-" + q.slot;
      card.setAttribute("data-slot", q.slot);
      card.setAttribute("aria-labelledby", "qh-" + q.slot);
      card.hidden = true;
      card.innerHTML =
        '<div class="question-head"><h2 id="qh-' + q.slot + '" tabindex="-1"></h2>' +
        '<span class="save-state" role="status" aria-live="polite"></span></div>' +
        '<div class="stem"></div><div class="answer-area"></div>';
      card.querySelector("h2").textContent = L.questionN.replace("%(n)s", index + 1).replace("%(total)s", paper.length) +
        (q.points ? " · " + L.points.replace("%(p)s", formatPoints(q.points)) : "");
      card.querySelector(".stem").innerHTML = q.stem_html;
      var area = H.renderAnswerArea(q, qLabels);
      if (area) card.querySelector(".answer-area").appendChild(area);
      box.appendChild(card);

      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = String(index + 1);
      button.setAttribute("data-goto", index);
      li.appendChild(button);
      nav.appendChild(li);
    });
    state.current = Math.min(savedPosition(attemptId), paper.length - 1);
  }

  function formatPoints(p) { return String(parseFloat(p)).replace(".", ","); }

  function cardOf(slot) { return $("question-" + slot); }
  function questionAt(index) { return state.paper[index]; }

  function slotIndex(slot) {
    for (var i = 0; i < state.paper.length; i++) if (String(state.paper[i].slot) === String(slot)) return i;
    return -1;
  }

  // What the contestant sees: their own unacknowledged change wins over the stored answer.
  function displayedResponse(slot) {
    var entry = outbox && outbox.get(slot);
    if (entry) return entry.next ? entry.next.response : entry.response;
    var saved = state.answers[slot];
    return saved ? saved.response : null;
  }

  function showAnswers() {
    state.paper.forEach(function (q) {
      var area = cardOf(q.slot).querySelector(".answer-area");
      var response = displayedResponse(q.slot);
      if (response) H.writeResponse(area, q.qtype, response, fileText(response));
      refreshSaveState(q.slot);
    });
  }

  /* ------------------------------------------------------------ answering */

  function fileText(response) {
    var name = response && response.upload_id && state.fileNames[response.upload_id];
    return name ? qLabels.fileCurrent.replace("%(name)s", name) : qLabels.fileSaved;
  }

  /* A file question: upload the chosen file, then answer with its id like any other answer. */
  function uploadFile(card) {
    var slot = card.getAttribute("data-slot");
    var area = card.querySelector(".answer-area");
    var options = { url: config.uploadUrl + slot + "/", csrfToken: config.csrfToken, labels: L.files,
      open: acceptingAnswers(), definition: questionAt(slotIndex(slot)).definition || {} };
    H.runAnswerUpload(area, options, function (result) {
      state.fileNames[result.upload_id] = result.name;
      H.writeResponse(area, "file", { upload_id: result.upload_id }, fileText({ upload_id: result.upload_id }));
      answerChanged(slot);
    });
  }

  function openOutbox(attemptId) {
    if (!outbox || outbox.attemptId !== attemptId) {
      outbox = new H.Outbox("hoithi.outbox." + attemptId);
      outbox.attemptId = attemptId;
    }
  }

  function baseRevision(slot) { return state.answers[slot] ? state.answers[slot].revision : 0; }

  function sendEntry(slot, entry) {
    conn.send({ type: "answer", id: entry.cmid, slot: parseInt(slot, 10), base: entry.base, response: entry.response });
  }

  function answerChanged(slot) {
    if (!acceptingAnswers()) return;
    var q = questionAt(slotIndex(slot));
    var response = H.readResponse(cardOf(slot).querySelector(".answer-area"), q.qtype);
    if (response === null) return;
    // The same text arrives from the typing pause and again from "change" on leaving the
    // field: one revision is enough.
    var shown = displayedResponse(slot);
    if (shown && JSON.stringify(shown) === JSON.stringify(response)) return;
    var entry = outbox.put(String(slot), response, baseRevision(slot));
    if (entry) sendEntry(slot, entry);
    refreshSaveState(slot);
  }

  function resendOutbox() {
    if (!outbox) return;
    outbox.pending().forEach(function (p) { sendEntry(p.question, p.entry); });
  }

  function onAck(msg) {
    var slot = String(msg.slot);
    var entry = outbox && outbox.get(slot);
    if (entry && entry.cmid === msg.ref) state.answers[slot] = { revision: msg.revision, response: entry.response };
    else if (state.answers[slot] && state.answers[slot].revision < msg.revision) state.answers[slot].revision = msg.revision;
    var next = outbox ? outbox.ack(slot, msg.ref, msg.revision) : null;
    if (next) sendEntry(slot, next);
    refreshSaveState(slot);
    maybeFinishSubmit();
  }

  var KEEP_ON_REFUSAL = { not_open: true, paused: true };

  function onRefused(msg) {
    var slot = String(msg.slot);
    if (KEEP_ON_REFUSAL[msg.reason]) { refreshSaveState(slot); return; }
    if (outbox) outbox.drop(slot);
    if (msg.current) state.answers[slot] = msg.current;
    else if (msg.reason === "stale") delete state.answers[slot];
    var index = slotIndex(slot);
    if (index !== -1) {
      var current = msg.current ? msg.current.response : null;
      H.writeResponse(cardOf(slot).querySelector(".answer-area"), questionAt(index).qtype, current, fileText(current));
      var mark = cardOf(slot).querySelector(".save-state");
      refreshSaveState(slot);
      mark.setAttribute("data-state", "error");
      mark.textContent = msg.message;
    }
    if (msg.reason === "no_attempt") conn.send({ type: "resync" });
    maybeFinishSubmit();
  }

  function refreshSaveState(slot) {
    var card = cardOf(slot);
    if (!card) return;
    var index = slotIndex(slot);
    var q = questionAt(index);
    var mark = card.querySelector(".save-state");
    var pending = outbox && outbox.get(String(slot));
    var saved = state.answers[slot];
    var s = "none";
    var text = "";
    if (pending) {
      s = "pending";
      text = conn.state === "connected" ? L.saving : L.notSent;
    } else if (saved && H.isAnswered(q.qtype, saved.response)) {
      s = "saved";
      text = "✓ " + L.saved;
    }
    mark.setAttribute("data-state", s);
    mark.textContent = text;
    var button = document.querySelector('[data-goto="' + index + '"]');
    if (button) {
      button.setAttribute("data-answered", String(s === "saved"));
      button.setAttribute("data-pending", String(s === "pending"));
      button.setAttribute("data-flagged", String(!!state.flags[slot]));
      var parts = [L.questionShort.replace("%(n)s", index + 1)];
      if (s === "saved") parts.push(L.answered);
      if (s === "pending") parts.push(L.saving);
      if (state.flags[slot]) parts.push(L.flagged);
      button.setAttribute("aria-label", parts.join(", "));
    }
  }

  function refreshAllSaveStates() {
    if (state.paper) state.paper.forEach(function (q) { refreshSaveState(q.slot); });
  }

  /* ------------------------------------------------------------ navigation and flags */

  function savedPosition(attemptId) {
    try { return parseInt(localStorage.getItem("hoithi.pos." + attemptId), 10) || 0; } catch (e) { return 0; }
  }

  function go(index, focus) {
    if (!state.paper || index < 0 || index >= state.paper.length) return;
    state.current = index;
    try { localStorage.setItem("hoithi.pos." + state.paperFor, String(index)); } catch (e) { /* private mode */ }
    state.paper.forEach(function (q, i) {
      cardOf(q.slot).hidden = i !== index;
      var b = document.querySelector('[data-goto="' + i + '"]');
      if (b) { if (i === index) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current"); }
    });
    var slot = questionAt(index).slot;
    $("prev-q").disabled = index === 0;
    $("next-q").disabled = index === state.paper.length - 1;
    var flag = $("flag-q");
    flag.setAttribute("aria-pressed", String(!!state.flags[slot]));
    flag.textContent = "⚑ " + (state.flags[slot] ? L.unflag : L.flag);
    if (focus) $("qh-" + slot).focus();
  }

  function toggleFlag() {
    var slot = questionAt(state.current).slot;
    var flagged = !state.flags[slot];
    if (flagged) state.flags[slot] = true; else delete state.flags[slot];
    // Offline, the change waits here and is sent after the next snapshot (flags have no ack).
    if (!conn.send({ type: "flag", slot: slot, flagged: flagged })) state.unsentFlags[slot] = flagged;
    refreshSaveState(slot);
    go(state.current, false);
  }

  /* ------------------------------------------------------------ time */

  function remainingMs() {
    var a = state.attempt;
    if (!a || !a.deadline) return null;
    var deadline = H.toMillis(a.deadline);
    if (state.round.state === "paused" && state.round.paused_at) return deadline - H.toMillis(state.round.paused_at);
    return deadline - conn.clock.now();
  }

  function acceptingAnswers() {
    var a = state.attempt;
    // While paused the server refuses answers; the inputs are locked so nothing waits unsent.
    if (!a || a.state !== "in_progress" || !state.round || state.round.state !== "open") return false;
    var left = remainingMs();
    return left === null || left > 0;
  }

  function tick() {
    var r = state.round;
    if (!r) return;
    if (r.state === "scheduled" || r.state === "draft") {
      var opens = H.toMillis(r.opens_at);
      var wait = opens === null ? null : opens - conn.clock.now();
      $("lobby-countdown").textContent = wait !== null && wait > 0 ? H.formatDuration(wait) : "";
      $("lobby-countdown-label").textContent = wait !== null && wait > 0 ? L.startsIn : L.waitingForStart;
    }
    var a = state.attempt;
    if (!a || a.state !== "in_progress") return;
    var left = remainingMs();
    var box = $("countdown");
    if (left === null) { box.textContent = L.noLimit; return; }
    box.textContent = H.formatDuration(left);
    box.setAttribute("data-level", left < 60000 ? "low" : "normal");
    // The ticking timer is silent for screen readers; say the important moments once.
    [300000, 60000].forEach(function (mark) {
      if (left <= mark && left > mark - 5000 && !state.warned[mark]) {
        state.warned[mark] = true;
        $("timer-announce").textContent = L.minutesLeft.replace("%(n)s", mark / 60000);
      }
    });
    $("countdown-label").textContent = r.state === "paused" ? L.paused : L.timeLeft;
    if (left <= 0 && r.state !== "paused" && !state.deadlineHandled) onDeadline();
  }

  // At the deadline: stop editing and let in-flight answers land (the server accepts them for
  // grace_seconds). The server's round clock then submits with the reason "deadline"; only if
  // no `submitted` has come a little after that (a clock that is not running) do we ask.
  function onDeadline() {
    state.deadlineHandled = true;
    setInputsDisabled(true);
    announce(L.timeUp, null, true);
    var waitMs = ((state.round && state.round.grace_seconds) || 3) * 1000 + 3000;
    setTimeout(function () {
      if (state.attempt && state.attempt.state === "in_progress") { state.submitting = true; sendSubmit(); }
    }, waitMs);
  }

  /* ------------------------------------------------------------ submitting */

  function submitNow() {
    state.submitting = true;
    $("submit-dialog").hidden = true;
    announce(L.submitting, null, false);
    maybeFinishSubmit();
    // Do not wait for ever on a network that never delivers the last acks.
    var graceMs = Math.max(1000, ((state.round && state.round.grace_seconds) || 3) * 1000 - 500);
    setTimeout(function () { if (state.submitting) sendSubmit(); }, graceMs);
  }

  function maybeFinishSubmit() {
    if (state.submitting && (!outbox || outbox.isEmpty())) sendSubmit();
  }

  function sendSubmit() {
    if (state.submitId) return;
    state.submitId = H.newId();
    if (!conn.send({ type: "submit", id: state.submitId })) state.submitId = null;
  }

  function onSubmitted(attempt) {
    state.attempt = attempt;
    state.submitting = false;
    state.submitId = null;
    state.canEnter = false; // until the snapshot asked for below says whether another attempt is allowed
    if (outbox) outbox.clear();
    $("announcement").hidden = true;
    render();
    conn.send({ type: "resync" });
  }

  function openSubmitDialog() {
    var unanswered = state.paper.filter(function (q) {
      var r = displayedResponse(q.slot);
      return q.qtype !== "description" && !(r && H.isAnswered(q.qtype, r));
    }).length;
    var flagged = Object.keys(state.flags).length;
    $("submit-summary").textContent = L.submitSummary.replace("%(unanswered)s", unanswered).replace("%(flagged)s", flagged);
    $("submit-dialog").hidden = false;
    $("submit-cancel").focus();
  }

  /* ------------------------------------------------------------ screens */

  function setInputsDisabled(disabled) {
    Array.prototype.forEach.call($("questions").querySelectorAll("input, textarea, select, .order-list button, [data-keep-order]"),
      function (input) { input.disabled = disabled; });
  }

  function showOnly(id) {
    ["lobby", "exam", "done", "stopped"].forEach(function (name) { $(name).hidden = name !== id; });
    $("exam-timer").hidden = id !== "exam";
  }

  function render() {
    var r = state.round;
    var a = state.attempt;
    if (!r || $("stopped").hidden === false) return;
    if (a && a.state === "in_progress" && state.paper) {
      showOnly("exam");
      if (!$("exam").getAttribute("data-shown")) { $("exam").setAttribute("data-shown", "1"); go(state.current, false); }
      setInputsDisabled(!acceptingAnswers());
      $("paused-notice").hidden = r.state !== "paused";
      tick();
      return;
    }
    if (a && a.state === "submitted") {
      showOnly("done");
      $("exam").removeAttribute("data-shown");
      $("done-detail").textContent = L.submittedDetail
        .replace("%(answered)s", a.answered_count).replace("%(total)s", a.question_count);
      $("done-reason").textContent = L.submitReasons[a.submit_reason] || "";
      $("again").hidden = !state.canEnter;
      return;
    }
    showOnly("lobby");
    var refusal = state.entryRefusal;
    var openNow = r.state === "open" && state.canEnter;
    $("enter-form").hidden = !openNow;
    $("access-code-field").hidden = !r.requires_access_code;
    $("lobby-state").textContent = r.state === "open" ? (openNow ? L.openNow : (L.refusals[refusal] || "")) : (L.roundStates[r.state] || "");
    $("lobby-wait").hidden = !(r.state === "scheduled" || r.state === "draft");
    tick();
  }

  function showStopped(message) {
    $("stopped-message").textContent = message;
    showOnly("stopped");
    $("stopped").hidden = false;
  }

  function showLobbyError(text) {
    var box = $("lobby-error");
    box.textContent = text;
    box.hidden = !text;
  }

  function announce(text, at, urgent) {
    var box = $("announcement");
    var time = at ? new Date(H.toMillis(at)).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }) + " · " : "";
    box.textContent = time + text;
    box.className = "notice" + (urgent ? " warn" : "");
    box.hidden = false;
  }

  /* ------------------------------------------------------------ events */

  // Focus loss is evidence for judges, never a penalty: report it and carry on.
  var focusState = "back";
  var unloading = false;
  // Reloading or leaving the page hides it too; that is not looking elsewhere.
  window.addEventListener("beforeunload", function () {
    unloading = true;
    // Text still inside its typing pause goes to the outbox now, so a reload keeps it.
    Object.keys(textTimers).forEach(function (slot) { clearTimeout(textTimers[slot]); answerChanged(slot); });
    textTimers = {};
  });
  function reportFocus(next) {
    if (unloading || next === focusState || !state.attempt || state.attempt.state !== "in_progress") return;
    focusState = next;
    conn.send({ type: "focus", state: next });
  }
  document.addEventListener("visibilitychange", function () { reportFocus(document.hidden ? "lost" : "back"); });
  window.addEventListener("blur", function () { reportFocus("lost"); });
  window.addEventListener("focus", function () { reportFocus("back"); });

  $("questions").addEventListener("change", function (event) {
    var card = event.target.closest("[data-slot]");
    if (!card) return;
    H.markChecked(card);
    answerChanged(card.getAttribute("data-slot"));
  });
  // Text answers are sent while typing too (after a pause), so a crash loses at most a second.
  $("questions").addEventListener("input", function (event) {
    var card = event.target.closest("[data-slot]");
    if (!card || !event.target.classList.contains("answer-text")) return;
    var slot = card.getAttribute("data-slot");
    clearTimeout(textTimers[slot]);
    textTimers[slot] = setTimeout(function () { delete textTimers[slot]; answerChanged(slot); }, 800);
  });
  $("questions").addEventListener("click", function (event) {
    var card = event.target.closest("[data-slot]");
    if (!card) return;
    if (event.target.closest("[data-move]")) {
      if (H.handleMove(event.target.closest("[data-move]"))) answerChanged(card.getAttribute("data-slot"));
    } else if (event.target.closest("[data-keep-order]")) {
      answerChanged(card.getAttribute("data-slot"));
    } else if (event.target.closest("[data-file-upload]")) {
      uploadFile(card);
    }
  });
  $("nav-grid").addEventListener("click", function (event) {
    var b = event.target.closest("[data-goto]");
    if (b) go(parseInt(b.getAttribute("data-goto"), 10), true);
  });
  $("prev-q").addEventListener("click", function () { go(state.current - 1, true); });
  $("next-q").addEventListener("click", function () { go(state.current + 1, true); });
  $("flag-q").addEventListener("click", toggleFlag);
  $("submit-open").addEventListener("click", openSubmitDialog);
  $("submit-cancel").addEventListener("click", function () { $("submit-dialog").hidden = true; $("submit-open").focus(); });
  $("submit-confirm").addEventListener("click", submitNow);
  // A modal dialog keeps keyboard focus inside it (Tab cycles between its two buttons).
  $("submit-dialog").addEventListener("keydown", function (event) {
    if (event.key === "Escape") { $("submit-dialog").hidden = true; $("submit-open").focus(); return; }
    if (event.key !== "Tab") return;
    var first = $("submit-cancel");
    var last = $("submit-confirm");
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  $("enter-form").addEventListener("submit", function (event) { event.preventDefault(); enter(); });
  $("again").addEventListener("click", function () { state.paperFor = null; enter(); });
  $("take-back").addEventListener("click", function () { window.location.reload(); });

  setInterval(tick, 250);
  conn.connect();
})();
