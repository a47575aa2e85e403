/*
 * The host's console of a live round: one button per command allowed now, the question's
 * timer, and who has (not yet) answered. Every button sends one command with an id; the page
 * changes only from what the server sends back, so two hosts always see the same state
 * (docs/protocol.md, "Live rounds").
 */
(function () {
  "use strict";

  var H = window.HoiThi;
  var LV = H.Live;
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var L = config.labels;
  var $ = function (id) { return document.getElementById(id); };
  var round = null;
  var picture = null;
  var monitor = null;

  var conn = new H.Connection({
    url: config.wsPath,
    labels: config.connLabels,
    onState: H.bindStateBadge($("conn-state")),
    onMessage: onMessage,
    onStop: function () { feedback(L.forbidden, true); },
  });

  function feedback(text, isError) {
    var box = $("feedback");
    box.hidden = !text;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
  }

  function onMessage(msg) {
    switch (msg.type) {
      case "snapshot":
        round = msg.round;
        picture = msg.live || picture;
        if (msg.monitor) monitor = msg.monitor;
        render();
        break;
      case "live.question":
        picture = msg;
        render();
        break;
      case "round.state":
        round = msg.round;
        conn.send({ type: "resync" });
        break;
      case "monitor":
        monitor = msg;
        renderAnswers();
        break;
      case "done":
        round = msg.round || round;
        feedback("");
        render();
        break;
      case "error":
        feedback(msg.message, true);
        break;
      case "resync":
        conn.send({ type: "resync" });
        break;
    }
  }

  /* The commands that make sense now; the server checks again and says no if not. */
  function allowed() {
    if (!round) return [];
    if (round.state === "draft" || round.state === "scheduled") return ["start"];
    if (round.state === "paused") return ["resume", "close"];
    if (round.state !== "open" || !picture) return [];
    var last = picture.index >= picture.count - 1;
    var byState = {
      pending: ["open_question", "skip_question"],
      open: ["close_question"],
      closed: ["reveal", "reopen_question"],
      revealed: ["show_leaderboard"].concat(last ? [] : ["next_question"]),
      leaderboard: last ? [] : ["next_question"],
    };
    var actions = (byState[picture.state] || []).slice();
    if (picture.state === "pending" && last) actions.pop(); // no question after the last to skip to
    return actions.concat(["pause", "close"]);
  }

  function send(action) {
    var message = { type: action, id: H.newId() };
    if (action === "open_question" && $("question-seconds").value) {
      message.seconds = parseInt($("question-seconds").value, 10);
    }
    if (action === "reopen_question") {
      message.reason = $("reopen-reason").value.trim();
      if (!message.reason) { feedback(L.reopenReason, true); $("reopen-reason").focus(); return; }
    }
    if (action === "close" && !window.confirm(L.closeConfirm)) return;
    if (!conn.send(message)) feedback(config.connLabels.reconnecting, true);
  }

  function render() {
    var actions = allowed();
    var box = $("live-actions");
    box.textContent = "";
    actions.forEach(function (action, i) {
      var secondary = ["pause", "close", "skip_question", "reopen_question"].indexOf(action) >= 0;
      var button = LV.el("button", "button" + (secondary ? " secondary" : ""), L.actions[action]);
      button.type = "button";
      button.setAttribute("data-action", action);
      button.addEventListener("click", function () { send(action); });
      box.appendChild(button);
      if (i === 0) button.setAttribute("data-primary", "true");
    });
    $("reopen-field").hidden = actions.indexOf("reopen_question") < 0;
    $("seconds-field").hidden = actions.indexOf("open_question") < 0;
    var state = round && round.state === "paused" ? "paused" : picture ? picture.state : "pending";
    $("live-state").textContent = picture ? LV.questionTitle(picture, L) + " · " + L.states[state] : "";
    var q = picture && picture.question;
    $("host-stem").innerHTML = q ? q.stem_html : ""; // sanitised by the server when saved
    LV.renderChart($("host-chart"), picture || {});
    var rows = picture && picture.leaderboard;
    $("host-board").hidden = !rows;
    if (rows) LV.renderBoard($("host-board"), rows, L);
    renderAnswers();
  }

  function renderAnswers() {
    var list = $("answer-list");
    list.textContent = "";
    var live = monitor && monitor.live;
    if (!live) return;
    var ended = !picture || picture.state === "ended"; // nobody is expected to answer any more
    $("answer-count").textContent = ended ? "" : LV.fmt(L.answered, { n: live.answered, total: live.expected });
    H.monitorContestants(monitor).forEach(function (c) {
      if (c.state === "not_entered") return;
      var done = live.answered_ids.indexOf(c.registration_id) >= 0;
      var item = LV.el("li", done ? "has-answered" : "");
      item.appendChild(LV.el("span", "", c.name + " · " + c.unit));
      item.appendChild(LV.el("span", "badge", (done ? "✓ " : "… ") + (done ? L.hasAnswered : L.notAnswered)));
      list.appendChild(item);
    });
  }

  LV.bindCountdown($("host-timer"), function () { return picture; }, conn.clock);
  conn.connect();
})();
