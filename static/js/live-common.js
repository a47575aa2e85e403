/*
 * Shared drawing for the three live-round screens (docs/protocol.md, "Live rounds"): the
 * question's countdown, the answer buttons' letters and colours, the distribution chart
 * (plain CSS bars), the leaderboard and the podium. Everything is drawn from a
 * `live.question` picture; nothing here keeps state of its own.
 */
(function () {
  "use strict";

  var H = window.HoiThi;
  var LETTERS = "ABCDEFGH";

  function fmt(template, vars) {
    return String(template).replace(/%\((\w+)\)s/g, function (_m, key) {
      return vars[key] === undefined || vars[key] === null ? "" : vars[key];
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* Milliseconds left on the question: server time only (deadline − clock.now()); a paused
     round's clock stands at the pause. */
  function remainingMs(picture, clock) {
    if (!picture || picture.state !== "open" || !picture.deadline) return null;
    var deadline = H.toMillis(picture.deadline);
    var reference = picture.paused_at ? H.toMillis(picture.paused_at) : clock.now();
    return Math.max(0, deadline - reference);
  }

  /* Redraw a countdown element four times a second; returns a function that stops it. */
  function bindCountdown(node, getPicture, clock) {
    function draw() {
      var ms = remainingMs(getPicture(), clock);
      node.hidden = ms === null;
      if (ms !== null) {
        node.textContent = String(Math.ceil(ms / 1000));
        node.setAttribute("data-urgent", ms <= 5000 ? "true" : "false");
      }
    }
    draw();
    var timer = setInterval(draw, 250);
    return function () { clearInterval(timer); };
  }

  function questionTitle(picture, labels) {
    return fmt(labels.questionN, { n: picture.index + 1, total: picture.count });
  }

  /* The options as tiles (projector) or buttons (phone): letter, colour, text. */
  function optionNode(option, i, tag) {
    var node = el(tag, "live-option live-colour-" + (i % 4));
    node.setAttribute("data-option", option.id);
    node.appendChild(el("span", "live-letter", LETTERS.charAt(i)));
    var text = el("span", "live-option-text");
    text.innerHTML = option.html; // sanitised by the server when the question was saved
    node.appendChild(text);
    return node;
  }

  /* The distribution chart: one CSS bar per option, the right ones marked. */
  function renderChart(container, picture) {
    container.textContent = "";
    var reveal = picture.reveal;
    var options = (picture.question && picture.question.options) || [];
    if (!reveal || !options.length) { container.hidden = true; return; }
    container.hidden = false;
    var max = 1;
    options.forEach(function (o) { max = Math.max(max, reveal.distribution[o.id] || 0); });
    options.forEach(function (option, i) {
      var count = reveal.distribution[option.id] || 0;
      var right = reveal.correct.indexOf(option.id) >= 0;
      var row = el("div", "live-bar-row" + (right ? " is-correct" : ""));
      row.setAttribute("data-option", option.id);
      row.appendChild(el("span", "live-letter live-colour-" + (i % 4), LETTERS.charAt(i)));
      var label = el("span", "live-bar-label");
      label.innerHTML = option.html; // sanitised by the server when the question was saved
      row.appendChild(label);
      var track = el("div", "live-bar-track");
      var bar = el("div", "live-bar live-colour-" + (i % 4));
      bar.style.width = Math.round((count / max) * 100) + "%";
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(el("span", "live-bar-count", (right ? "✓ " : "") + count));
      container.appendChild(row);
    });
  }

  function renderBoard(container, rows, labels) {
    container.textContent = "";
    var list = el("ol", "live-board");
    (rows || []).forEach(function (row) {
      var item = el("li", "live-board-row");
      item.appendChild(el("span", "live-rank", String(row.rank)));
      var swatch = el("span", "live-swatch");
      swatch.style.background = row.color || "#9aa3ad";
      item.appendChild(swatch);
      var who = el("span", "live-who");
      who.appendChild(el("strong", "", row.name));
      who.appendChild(el("span", "live-unit", row.unit));
      item.appendChild(who);
      item.appendChild(el("span", "live-score", row.score + " " + labels.score));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  /* The podium: second, first, third, as on a stage; unit names and colours. */
  function renderPodium(container, rows, labels) {
    container.textContent = "";
    var top = (rows || []).filter(function (r) { return r.rank <= 3; }).slice(0, 3);
    var stage = el("div", "live-podium");
    [1, 0, 2].forEach(function (position) {
      var row = top[position];
      if (!row) return;
      var step = el("div", "live-step live-step-" + row.rank);
      step.style.borderTopColor = row.color || "#9aa3ad";
      step.appendChild(el("span", "live-medal", String(row.rank)));
      step.appendChild(el("strong", "live-step-name", row.name));
      step.appendChild(el("span", "live-unit", row.unit));
      step.appendChild(el("span", "live-score", row.score + " " + labels.score));
      stage.appendChild(step);
    });
    container.appendChild(stage);
  }

  H.Live = {
    fmt: fmt,
    el: el,
    remainingMs: remainingMs,
    bindCountdown: bindCountdown,
    questionTitle: questionTitle,
    optionNode: optionNode,
    renderChart: renderChart,
    renderBoard: renderBoard,
    renderPodium: renderPodium,
  };
})();
