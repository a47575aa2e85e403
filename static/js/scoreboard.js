/*
 * The projector scoreboard: one socket (docs/protocol.md, "Scoreboard endpoints"), one table.
 *
 * The server decides everything that matters (who sees scores, the freeze, the reveal); this
 * file only draws the latest `board` frame. Long lists page automatically, a page at a time
 * (as many rows as fit on the screen), so the back of the hall can read every name without
 * anyone touching the laptop; a page change never waits for a frame, and a frame never resets
 * the page, so a busy contest does not keep the first page stuck on screen.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("board-config").textContent);
  var labels = config.labels;
  var PAGE_SECONDS = 8;
  var tbody = document.getElementById("board-rows");
  var headRow = document.getElementById("board-head-row");
  var phaseEl = document.getElementById("board-phase");
  var countsEl = document.getElementById("board-counts");
  var podiumEl = document.getElementById("podium");
  var pageEl = document.getElementById("board-page");
  var wrap = document.getElementById("board-table-wrap");
  var latest = null;
  var page = 0;

  function cell(tag, text, className) {
    var el = document.createElement(tag);
    el.textContent = text === null || text === undefined ? "–" : String(text);
    if (className) el.className = className;
    return el;
  }

  // Scores arrive as "7.50"; the hall reads Vietnamese decimals: 7,5.
  function score(value) {
    if (value === null || value === undefined) return "?";
    var number = Number(value);
    if (isNaN(number)) return value;
    return (Math.round(number * 100) / 100).toString().replace(".", ",");
  }

  function unitCell(row) {
    var td = document.createElement("td");
    td.className = "unit";
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    if (row.color && /^#[0-9a-fA-F]{6}$/.test(row.color)) swatch.style.backgroundColor = row.color;
    td.appendChild(swatch);
    td.appendChild(document.createTextNode(row.unit || row.name || ""));
    return td;
  }

  function columns(frame) {
    if (frame.phase === "progress") {
      return [labels.name.individual, labels.unit, labels.answered, labels.state];
    }
    if (frame.view === "unit") return [labels.rank, labels.name.unit, labels.entered, labels.meanScore];
    return [labels.rank, labels.name[frame.view] || labels.name.individual, labels.unit, labels.score];
  }

  function rowElement(frame, row) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-id", row.id);
    if (frame.phase === "progress") {
      tr.appendChild(cell("td", row.name, "name"));
      tr.appendChild(unitCell(row));
      tr.appendChild(cell("td", row.answered, "num"));
      tr.appendChild(cell("td", labels.states[row.state] || row.state, "state"));
      tr.setAttribute("data-state", row.state);
      return tr;
    }
    tr.appendChild(cell("td", row.rank === null ? "?" : row.rank, "rank"));
    if (frame.view === "unit") {
      var name = unitCell(row);
      name.className = "name";
      tr.appendChild(name);
      tr.appendChild(cell("td", row.took_part + "/" + row.eligible, "num"));
    } else {
      tr.appendChild(cell("td", row.name, "name"));
      tr.appendChild(unitCell(row));
    }
    tr.appendChild(cell("td", score(row.score), "score"));
    if (row.revealed !== undefined) tr.setAttribute("data-revealed", row.revealed ? "yes" : "no");
    if (frame.reveal && row.id === frame.reveal.next_id) tr.setAttribute("data-next", "yes");
    return tr;
  }

  function drawCounts(frame) {
    countsEl.textContent = "";
    countsEl.hidden = !frame.progress;
    if (!frame.progress) return;
    [["entered", frame.progress.entered + "/" + frame.progress.eligible],
     ["submitted", frame.progress.submitted],
     ["answers", frame.progress.answers]].forEach(function (pair) {
      var box = document.createElement("div");
      box.appendChild(cell("dt", labels[pair[0]]));
      box.appendChild(cell("dd", pair[1]));
      countsEl.appendChild(box);
    });
  }

  function drawPodium(frame) {
    var podium = frame.reveal && frame.reveal.podium;
    podiumEl.hidden = !podium;
    wrap.hidden = !!podium;
    if (!podium) return;
    var list = document.getElementById("podium-places");
    list.textContent = "";
    podium.forEach(function (row) {
      var li = document.createElement("li");
      li.setAttribute("data-rank", row.rank);
      li.appendChild(cell("span", labels.places[row.rank - 1] || row.rank, "place"));
      li.appendChild(cell("span", row.name, "name"));
      li.appendChild(cell("span", row.unit || "", "unit"));
      li.appendChild(cell("span", score(row.score), "score"));
      list.appendChild(li);
    });
  }

  /* How many rows fit below the header: the page size for automatic paging. */
  function rowsPerPage() {
    var sample = tbody.querySelector("tr");
    var rowHeight = sample ? sample.getBoundingClientRect().height : 48;
    var top = wrap.getBoundingClientRect().top + 60;
    return Math.max(3, Math.floor((window.innerHeight - top - 40) / Math.max(rowHeight, 1)));
  }

  function showPage() {
    var rows = tbody.children;
    var size = rowsPerPage();
    var pages = Math.max(1, Math.ceil(rows.length / size));
    if (page >= pages) page = 0;
    for (var i = 0; i < rows.length; i++) {
      rows[i].hidden = Math.floor(i / size) !== page;
    }
    pageEl.textContent = pages > 1 ? labels.page.replace("%(n)s", page + 1).replace("%(total)s", pages) : "";
  }

  function draw(frame) {
    latest = frame;
    document.body.setAttribute("data-phase", frame.phase);
    phaseEl.setAttribute("data-phase", frame.phase);
    phaseEl.textContent = labels.phases[frame.phase] || "";
    headRow.textContent = "";
    columns(frame).forEach(function (title) { headRow.appendChild(cell("th", title)); });
    tbody.textContent = "";
    frame.rows.forEach(function (row) { tbody.appendChild(rowElement(frame, row)); });
    if (!frame.rows.length && frame.phase !== "hidden") {
      var empty = document.createElement("tr");
      var td = cell("td", labels.empty, "empty");
      td.colSpan = 4;
      empty.appendChild(td);
      tbody.appendChild(empty);
    }
    drawCounts(frame);
    drawPodium(frame);
    // During the reveal the rows being revealed are at the bottom: show the last page.
    if (frame.phase === "reveal") page = Math.ceil(frame.rows.length / rowsPerPage()) - 1;
    showPage();
  }

  setInterval(function () {
    if (!latest || latest.phase === "reveal") return;
    page += 1;
    showPage();
  }, PAGE_SECONDS * 1000);
  window.addEventListener("resize", showPage);

  var conn = new HoiThi.Connection({
    url: config.wsPath,
    labels: config.connLabels,
    onState: HoiThi.bindStateBadge(document.getElementById("conn-state")),
    onMessage: function (msg) {
      if (msg.type === "board") draw(msg);
      else if (msg.type === "resync") conn.send({ type: "resync" });
    }
  });
  conn.connect();
})();
