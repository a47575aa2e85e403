/*
 * The projector of a live round: the question with its options and countdown while it is
 * open, the distribution of answers once revealed, the leaderboard between questions and the
 * podium at the end. Read-only: it follows the `live.question` pictures (docs/protocol.md).
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
  var progress = null;

  var conn = new H.Connection({
    url: config.wsPath,
    labels: config.connLabels,
    onState: H.bindStateBadge($("conn-state")),
    onMessage: onMessage,
    onStop: function () { $("screen-status").textContent = L.forbidden; },
  });

  function onMessage(msg) {
    switch (msg.type) {
      case "snapshot":
        round = msg.round;
        picture = msg.live || picture;
        progress = msg.progress && msg.progress.live ? msg.progress.live : progress;
        render();
        break;
      case "live.question":
        picture = msg;
        render();
        break;
      case "progress":
        progress = msg.live || progress;
        renderProgress();
        break;
      case "round.state":
        round = msg.round;
        conn.send({ type: "resync" });
        break;
      case "resync":
        conn.send({ type: "resync" });
        break;
    }
  }

  function show(id, visible) { $(id).hidden = !visible; }

  function render() {
    if (!picture || !round) return;
    var state = round.state === "paused" ? "paused" : picture.state;
    document.body.setAttribute("data-live-state", state);
    var q = picture.question;
    $("screen-title").textContent =
      picture.state === "ended" ? L.podium :
      picture.state === "leaderboard" ? L.leaderboard + " · " + LV.questionTitle(picture, L) :
      q ? LV.questionTitle(picture, L) : "";
    $("screen-status").textContent =
      round.state === "draft" || round.state === "scheduled" ? L.waitingStart :
      picture.state === "pending" ? L.waitingQuestion : L.states[state] || "";
    var join = $("screen-join");
    if (join) join.hidden = !(round.state === "draft" || round.state === "scheduled" || picture.state === "pending");
    show("screen-question", !!q && ["open", "closed", "revealed"].indexOf(picture.state) >= 0);
    if (q) {
      $("screen-stem").innerHTML = q.stem_html; // sanitised by the server when saved
      var box = $("screen-options");
      box.textContent = "";
      var correct = picture.reveal ? picture.reveal.correct : null;
      q.options.forEach(function (option, i) {
        var tile = LV.optionNode(option, i, "div");
        if (correct) tile.classList.add(correct.indexOf(option.id) >= 0 ? "is-correct" : "is-dimmed");
        box.appendChild(tile);
      });
      show("screen-options", picture.state !== "revealed");
    }
    LV.renderChart($("screen-chart"), picture.state === "revealed" ? picture : {});
    var text = picture.state === "revealed" && picture.reveal ? picture.reveal.answer_text : "";
    show("screen-answer", !!text);
    $("screen-answer").textContent = text ? L.correctIs + ": " + text : "";
    show("screen-board", picture.state === "leaderboard");
    if (picture.state === "leaderboard") LV.renderBoard($("screen-board"), picture.leaderboard, L);
    show("screen-podium", picture.state === "ended");
    if (picture.state === "ended") {
      LV.renderPodium($("screen-podium-stage"), picture.leaderboard, L);
      LV.renderBoard($("screen-podium-rest"), (picture.leaderboard || []).filter(function (r) { return r.rank > 3; }), L);
    }
    renderProgress();
  }

  function renderProgress() {
    var open = picture && picture.state === "open" && progress;
    $("screen-answered").hidden = !open;
    if (open) $("screen-answered").textContent = LV.fmt(L.answered, { n: progress.answered, total: progress.expected });
  }

  LV.bindCountdown($("screen-timer"), function () { return picture; }, conn.clock);
  conn.connect();
})();
