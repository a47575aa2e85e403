/*
 * The contestant's phone in a live round: big answer buttons for the open question, a
 * confirmation once the server has stored the answer (after commit), and the result after
 * each reveal. The page enters the round by itself once it is open; the question, the clock
 * and the result all come from the server (docs/protocol.md, "Live rounds").
 */
(function () {
  "use strict";

  var H = window.HoiThi;
  var LV = H.Live;
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var L = config.labels;
  var $ = function (id) { return document.getElementById(id); };
  var picture = null;
  var round = null;
  var attempt = null;
  var chosen = null; // {key: "index|opened_at", response, id, state: "sending"|"sent"}
  var entering = false;
  var role = "answers"; // "watches": captain play, the team captain's phone answers for the team
  var accessCode = config.accessCode || "";

  var conn = new H.Connection({
    url: config.wsPath,
    labels: config.connLabels,
    onState: H.bindStateBadge($("conn-state")),
    onMessage: onMessage,
    onStop: function (code) { status(code === 4001 ? L.takeover : L.forbidden); },
  });

  function openingKey(p) { return p ? p.index + "|" + p.opened_at : ""; }

  function status(text) { $("live-status").textContent = text || ""; }

  function feedback(text, kind) {
    var box = $("live-feedback");
    box.hidden = !text;
    box.textContent = text || "";
    box.setAttribute("data-kind", kind || "info");
  }

  function onMessage(msg) {
    switch (msg.type) {
      case "snapshot":
        round = msg.round;
        attempt = msg.attempt;
        if (msg.live_role) role = msg.live_role; // the reply to "enter" leaves it out
        if (msg.live) setPicture(msg.live, msg.answers || {});
        maybeEnter(msg);
        render();
        break;
      case "live.question":
        setPicture(msg, null);
        render();
        break;
      case "live.result":
        showResult(msg);
        break;
      case "round.state":
        round = msg.round;
        conn.send({ type: "resync" });
        break;
      case "ack":
        if (chosen && chosen.id === msg.ref) { chosen.state = "sent"; render(); }
        break;
      case "refused":
        if (chosen && chosen.id === msg.ref) {
          chosen.state = msg.reason === "answered" ? "sent" : "refused";
          feedback(msg.message, "error");
          render();
        }
        break;
      case "takeover":
        status(msg.message);
        break;
      case "resync":
        conn.send({ type: "resync" });
        break;
      case "error":
        if (msg.reason !== "not_open") feedback(msg.message, "error");
        if (msg.reason === "bad_access_code") { accessCode = ""; $("pin-form").hidden = false; }
        entering = false;
        break;
    }
  }

  /* A new picture; an answer already stored for this opening (after a reload) counts as sent. */
  function setPicture(next, answers) {
    var fresh = openingKey(next) !== openingKey(picture);
    picture = next;
    if (fresh && next.state === "open") {
      chosen = null;
      feedback("");
      $("live-result-verdict").textContent = "";
      $("live-result-detail").textContent = "";
      conn.send({ type: "seen", index: next.index });
    }
    if (answers && next.opened_at) {
      var stored = answers[String(next.index)];
      if (stored && H.toMillis(stored.saved_at) >= H.toMillis(next.opened_at)) {
        chosen = { key: openingKey(next), response: stored.response, id: null, state: "sent" };
      }
    }
    if (chosen && chosen.state === "sending" && chosen.key === openingKey(next) && next.state === "open") {
      conn.send(chosen.message); // resent after a reconnect, with its original id
    }
  }

  /* Enter by itself once the round is open; a round with a PIN asks for it unless this
     browser joined with it. */
  function maybeEnter(snapshot) {
    var running = attempt && attempt.state === "in_progress";
    var needsPin = round.requires_access_code && !accessCode;
    $("pin-form").hidden = running || !snapshot.can_enter || !needsPin;
    if (!running && snapshot.can_enter && !entering && !needsPin) {
      entering = true;
      conn.send({ type: "enter", id: H.newId(), access_code: accessCode });
    }
    if (running) entering = false;
  }

  $("pin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    accessCode = $("pin-input").value.trim();
    entering = true;
    conn.send({ type: "enter", id: H.newId(), access_code: accessCode });
  });

  function answer(response) {
    if (role !== "answers") return;
    if (!picture || picture.state !== "open" || (chosen && chosen.state !== "refused")) return;
    var message = { type: "answer", id: H.newId(), slot: picture.index, base: 0, response: response };
    chosen = { key: openingKey(picture), response: response, id: message.id, message: message, state: "sending" };
    conn.send(message);
    render();
  }

  function choiceResponse(qtype, id) {
    if (qtype === "truefalse") return { value: id === "true" };
    if (qtype === "multiple") return { choices: [id] };
    return { choice: id };
  }

  function chosenId() {
    if (!chosen || !chosen.response) return null;
    var r = chosen.response;
    if (r.choice !== undefined) return r.choice;
    if (r.choices) return r.choices[0];
    if (r.value !== undefined) return r.value ? "true" : "false";
    return null;
  }

  function render() {
    var section = $("live-question");
    var q = picture && picture.question;
    // After the end the last result stays: it carries the final total and place.
    var resultTime = picture && ["revealed", "leaderboard", "ended"].indexOf(picture.state) >= 0;
    $("live-result").hidden = !resultTime || !$("live-result-verdict").textContent;
    if (!round || round.state === "draft" || round.state === "scheduled") {
      status(L.waitingStart);
    } else if (round.state === "paused") {
      status(L.states.paused);
    } else if (!picture || picture.state === "ended" || round.state === "closed") {
      status(L.ended);
      feedback("");
    } else if (picture.state === "pending") {
      status(L.waitingQuestion);
    } else {
      status(LV.questionTitle(picture, L) + " · " + L.states[picture.state]);
    }
    section.hidden = !q || picture.state === "ended";
    if (section.hidden) return;
    $("live-stem").innerHTML = q.stem_html; // sanitised by the server when saved
    var box = $("live-options");
    box.textContent = "";
    var locked = role !== "answers" || picture.state !== "open" || (chosen && chosen.state !== "refused");
    var mine = chosenId();
    var correct = picture.reveal ? picture.reveal.correct : [];
    q.options.forEach(function (option, i) {
      var button = LV.optionNode(option, i, "button");
      button.type = "button";
      button.disabled = locked;
      if (mine === option.id) button.classList.add("is-chosen");
      if (correct.indexOf(option.id) >= 0) button.classList.add("is-correct");
      button.setAttribute("aria-pressed", mine === option.id ? "true" : "false");
      button.addEventListener("click", function () { answer(choiceResponse(q.qtype, option.id)); });
      box.appendChild(button);
    });
    renderTyped(q, locked);
    if (role !== "answers" && picture.state === "open") feedback(L.captainOnly, "info");
    else if (chosen && chosen.state === "sent") feedback(L.sent, "ok");
    else if (chosen && chosen.state === "sending") feedback(conn.state === "connected" ? L.sending : L.notSent, "info");
  }

  /* Questions answered by typing (short, numeric…): the exam page's inputs and a send button. */
  function renderTyped(q, locked) {
    var typed = $("live-typed");
    typed.textContent = "";
    typed.hidden = q.options.length > 0;
    if (typed.hidden) return;
    var area = H.renderAnswerArea(q, H.questionLabels(config.questionLabels || {}));
    typed.appendChild(area);
    var send = LV.el("button", "button live-send", L.send);
    send.type = "button";
    send.disabled = locked;
    send.addEventListener("click", function () { answer(H.readResponse(area, q.qtype)); });
    typed.appendChild(send);
  }

  function showResult(result) {
    var box = $("live-result");
    box.hidden = false;
    box.setAttribute("data-kind", result.correct ? "ok" : "error");
    $("live-result-verdict").textContent = !result.answered ? L.noAnswer : result.correct ? L.right : L.wrong;
    $("live-result-detail").textContent = LV.fmt(L.result, result);
  }

  LV.bindCountdown($("live-timer"), function () { return picture; }, conn.clock);
  conn.connect();
})();
