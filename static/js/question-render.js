/*
 * Draw one question from its public form (docs/protocol.md, "Question") and read or set the
 * contestant's response. Used by the exam page and by the live (stage) phone screen, which
 * both receive the paper over the websocket, so rendering happens here rather than in a
 * server template.
 *
 * Accessibility first: native radios, checkboxes, text fields and selects inside a fieldset
 * with a legend, each option a whole <label> (a big touch target), so keyboard, screen reader
 * and old Android browsers all work without custom widgets.
 *
 * stem_html and option html are sanitised on the server when a question is saved
 * (quizzes/html.py), which is why they may be inserted as HTML.
 */
(function (global) {
  "use strict";

  var HoiThi = global.HoiThi || (global.HoiThi = {});
  var KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  var DEFAULT_LABELS = {
    pickOne: "Chọn một phương án",
    pickMany: "Chọn một hoặc nhiều phương án",
    yes: "Đúng",
    no: "Sai",
    trueFalse: "Nhận định trên đúng hay sai?",
    yourAnswer: "Câu trả lời của bạn",
    numberHint: "Nhập một số, ví dụ 3,14",
    order: "Sắp xếp theo thứ tự đúng (dùng nút lên / xuống)",
    moveUp: "Đưa lên",
    moveDown: "Đưa xuống",
    keepOrder: "Chốt thứ tự này",
    match: "Ghép mỗi mục với một đáp án",
    choose: "— Chọn —",
    words: "Số từ",
    fileNotHere: "Câu hỏi nộp tệp: hãy nộp tệp theo hướng dẫn của ban tổ chức.",
    fileChoose: "Chọn tệp bài làm",
    fileRules: "Nhận tệp %(accept)s, tối đa %(size)s.",
    fileUpload: "Tải tệp lên",
    fileCurrent: "Tệp đã nộp: %(name)s",
    fileSaved: "Đã nộp tệp.",
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "html") node.innerHTML = attrs.html;
      else if (name === "text") node.textContent = attrs.text;
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function choiceList(q, type, legend, options) {
    var name = "q" + q.slot;
    var fieldset = el("fieldset", { "class": "choices" }, [el("legend", { text: legend })]);
    options.forEach(function (option, index) {
      var id = name + "-" + index;
      var input = el("input", { type: type, name: name, id: id, value: option.value });
      fieldset.appendChild(el("label", { "class": "choice", "for": id }, [
        input,
        option.key ? el("span", { "class": "choice-key", text: option.key + "." }) : null,
        el("span", { "class": "choice-text", html: option.html }),
      ]));
    });
    return fieldset;
  }

  function textField(q, labels, multiline, hint) {
    var id = "q" + q.slot + "-text";
    // Same names and markup as templates/quizzes/_question_public.html (the server-side twin).
    var input = multiline
      ? el("textarea", { "class": "answer-text", id: id, name: id, rows: "8" })
      : el("input", { "class": "answer-text", id: id, name: id, type: "text", autocomplete: "off" });
    if (q.qtype === "numeric") input.setAttribute("inputmode", "decimal");
    var wrap = el("div", { "class": "field" }, [el("label", { "for": id, text: labels.yourAnswer }), input]);
    if (hint) {
      input.setAttribute("aria-describedby", id + "-hint");
      wrap.appendChild(el("span", { "class": "helptext", id: id + "-hint", text: hint }));
    }
    return wrap;
  }

  function orderingList(q, labels) {
    var list = el("ol", { "class": "order-list", "aria-label": labels.order });
    q.definition.items.forEach(function (item) {
      list.appendChild(el("li", { "data-item": item.id }, [
        el("span", { "class": "item-text", html: item.html }),
        el("button", { type: "button", "data-move": "-1", "aria-label": labels.moveUp, text: "↑" }),
        el("button", { type: "button", "data-move": "1", "aria-label": labels.moveDown, text: "↓" }),
      ]));
    });
    return el("div", {}, [
      el("p", { text: labels.order }),
      list,
      el("button", { type: "button", "class": "button secondary", "data-keep-order": "1", text: labels.keepOrder }),
    ]);
  }

  function matchingRows(q, labels) {
    var box = el("fieldset", { "class": "choices" }, [el("legend", { text: labels.match })]);
    q.definition.prompts.forEach(function (prompt, index) {
      var id = "q" + q.slot + "-m" + index;
      var select = el("select", { id: id, name: "q" + q.slot + "-" + prompt.id, "data-pair": prompt.id },
        [el("option", { value: "", text: labels.choose })]);
      q.definition.choices.forEach(function (choice) {
        select.appendChild(el("option", { value: choice, text: choice }));
      });
      box.appendChild(el("div", { "class": "match-row" }, [el("label", { "for": id, html: prompt.html }), select]));
    });
    return box;
  }

  function wordLimits(d, labels) {
    var parts = [];
    if (d.min_words) parts.push("≥ " + d.min_words);
    if (d.max_words) parts.push("≤ " + d.max_words);
    return parts.length ? labels.words + ": " + parts.join(", ") : "";
  }

  function sizeText(bytes) {
    var mb = bytes >= 1048576;
    return String(Math.round((bytes / (mb ? 1048576 : 1024)) * 10) / 10).replace(".", ",") + (mb ? " MB" : " KB");
  }

  /* A practical task: pick a file, upload it (static/js/answer-upload.js); the stored upload's
     id sits on the area (data-upload-id) and is what readResponse sends. */
  function fileArea(q, labels) {
    var d = q.definition || {};
    var id = "q" + q.slot + "-file";
    var accept = (d.accept || []).join(", ");
    return el("div", { "class": "file-answer" }, [
      el("label", { "for": id, text: labels.fileChoose }),
      el("p", { "class": "hint", id: id + "-rules",
        text: labels.fileRules.replace("%(accept)s", accept).replace("%(size)s", sizeText(d.max_bytes || 0)) }),
      el("input", { type: "file", id: id, accept: (d.accept || []).join(","), "aria-describedby": id + "-rules",
        "data-file-input": "" }),
      el("p", {}, [el("button", { type: "button", "class": "button secondary", "data-file-upload": "",
        text: labels.fileUpload })]),
      el("progress", { max: "100", value: "0", hidden: "" }),
      el("p", { "class": "file-status", role: "status", "aria-live": "polite", "data-file-status": "" }),
      el("p", { "class": "file-current", "data-file-current": "" }),
    ]);
  }

  /* The answer area of question `q` (a Question from the protocol). */
  function renderAnswerArea(q, labels) {
    var d = q.definition || {};
    switch (q.qtype) {
      case "single":
      case "multiple":
        return choiceList(q, q.qtype === "single" ? "radio" : "checkbox",
          q.qtype === "single" ? labels.pickOne : labels.pickMany,
          d.options.map(function (o, i) { return { value: o.id, html: o.html, key: KEYS.charAt(i) }; }));
      case "truefalse":
        return choiceList(q, "radio", labels.trueFalse, [
          { value: "true", html: labels.yes }, { value: "false", html: labels.no },
        ]);
      case "short":
        return textField(q, labels, false, "");
      case "numeric":
        return textField(q, labels, false, labels.numberHint);
      case "essay":
        return textField(q, labels, true, wordLimits(d, labels));
      case "ordering":
        return orderingList(q, labels);
      case "matching":
        return matchingRows(q, labels);
      case "file":
        return labels.uploadEnabled ? fileArea(q, labels) : el("p", { "class": "notice", text: labels.fileNotHere });
      default:
        return null; // description: nothing to answer
    }
  }

  /* Read the response from a rendered answer area; null means "nothing answered yet". */
  function readResponse(area, qtype) {
    var checked;
    switch (qtype) {
      case "single":
        checked = area.querySelector("input:checked");
        return checked ? { choice: checked.value } : null;
      case "truefalse":
        checked = area.querySelector("input:checked");
        return checked ? { value: checked.value === "true" } : null;
      case "multiple":
        return { choices: Array.prototype.map.call(area.querySelectorAll("input:checked"), function (i) { return i.value; }) };
      case "short":
      case "essay":
        return { text: area.querySelector(".answer-text").value };
      case "numeric":
        return { value: area.querySelector(".answer-text").value };
      case "ordering":
        return { order: Array.prototype.map.call(area.querySelectorAll("[data-item]"), function (li) { return li.getAttribute("data-item"); }) };
      case "file":
        var upload = parseInt(area.getAttribute("data-upload-id") || "", 10);
        return upload > 0 ? { upload_id: upload } : null;
      case "matching":
        var pairs = {};
        Array.prototype.forEach.call(area.querySelectorAll("select[data-pair]"), function (s) {
          if (s.value) pairs[s.getAttribute("data-pair")] = s.value;
        });
        return { pairs: pairs };
      default:
        return null;
    }
  }

  /* Show a stored response (from a snapshot, a refusal's `current`, or the outbox);
     `fileText`: what to say about the uploaded file of a file question (its response holds
     only the upload id, the page knows the name). */
  function writeResponse(area, qtype, response, fileText) {
    response = response || {};
    var inputs = area.querySelectorAll("input[type=radio], input[type=checkbox]");
    switch (qtype) {
      case "single":
      case "truefalse":
      case "multiple":
        var wanted = qtype === "single" ? [response.choice]
          : qtype === "truefalse" ? [response.value === true ? "true" : response.value === false ? "false" : null]
          : (response.choices || []);
        Array.prototype.forEach.call(inputs, function (input) { input.checked = wanted.indexOf(input.value) !== -1; });
        markChecked(area);
        break;
      case "short":
      case "essay":
      case "numeric":
        var field = area.querySelector(".answer-text");
        var value = qtype === "numeric" ? response.value : response.text;
        // Never overwrite what the contestant is typing right now.
        if (field && document.activeElement !== field) field.value = value === undefined || value === null ? "" : String(value);
        break;
      case "ordering":
        var list = area.querySelector(".order-list");
        (response.order || []).forEach(function (id) {
          var li = list.querySelector('[data-item="' + String(id).replace(/"/g, "") + '"]');
          if (li) list.appendChild(li);
        });
        break;
      case "file":
        var current = area.querySelector("[data-file-current]");
        if (!current) break;
        if (response.upload_id) area.setAttribute("data-upload-id", String(response.upload_id));
        else area.removeAttribute("data-upload-id");
        current.textContent = response.upload_id ? fileText || "" : "";
        break;
      case "matching":
        var pairs = response.pairs || {};
        Array.prototype.forEach.call(area.querySelectorAll("select[data-pair]"), function (s) {
          s.value = pairs[s.getAttribute("data-pair")] || "";
        });
        break;
    }
  }

  /* Mark chosen options with a class: the same look as .choice:has(input:checked), for the
     old Android browsers that do not know :has(). */
  function markChecked(area) {
    Array.prototype.forEach.call(area.querySelectorAll("label.choice"), function (label) {
      var input = label.querySelector("input");
      label.classList.toggle("is-checked", !!(input && input.checked));
    });
  }

  /* Whether a response counts as answered (for the navigator). */
  function isAnswered(qtype, response) {
    if (!response) return false;
    if (qtype === "multiple") return (response.choices || []).length > 0;
    if (qtype === "short" || qtype === "essay") return !!(response.text || "").trim();
    if (qtype === "numeric") return !!String(response.value || "").trim();
    if (qtype === "matching") return Object.keys(response.pairs || {}).length > 0;
    return true;
  }

  /* Ordering: move an item with the buttons; returns true when something moved. */
  function handleMove(button) {
    var li = button.closest("li");
    var step = parseInt(button.getAttribute("data-move"), 10);
    var target = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!target) return false;
    li.parentNode.insertBefore(li, step < 0 ? target : target.nextSibling);
    button.focus(); // keep the keyboard user on the item they are moving
    return true;
  }

  HoiThi.questionLabels = function (overrides) {
    var labels = {};
    Object.keys(DEFAULT_LABELS).forEach(function (k) { labels[k] = (overrides && overrides[k]) || DEFAULT_LABELS[k]; });
    return labels;
  };
  HoiThi.renderAnswerArea = renderAnswerArea;
  HoiThi.readResponse = readResponse;
  HoiThi.writeResponse = writeResponse;
  HoiThi.isAnswered = isAnswered;
  HoiThi.markChecked = markChecked;
  HoiThi.handleMove = handleMove;
})(window);
