/*
 * Question editor: show the fields of the chosen type, keep a live preview drawn by the
 * server with the same partial contestants see (templates/quizzes/_question_public.html),
 * and upload images into the stem. Without JS the form still works (all fields shown).
 */
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  if (!form) return;
  var typeSelect = form.querySelector('select[name="qtype"]');
  var preview = document.getElementById("preview");
  var stem = form.querySelector('textarea[name="stem_html"]');
  var timer = null;
  var sequence = 0;
  // Messages come translated from the template (data-msg-*), like every other label.
  function msg(name) { return form.getAttribute("data-msg-" + name); }

  function showTypeFields() {
    var qtype = typeSelect.value;
    form.querySelectorAll("fieldset.type-fields").forEach(function (fieldset) {
      var types = fieldset.getAttribute("data-types").split(" ");
      fieldset.hidden = types.indexOf(qtype) === -1;
    });
  }

  function refreshPreview() {
    var mine = ++sequence;
    var body = new FormData(form);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (mine !== sequence) return; // an older answer arriving late
      preview.innerHTML = html; // server-rendered from sanitised content
    }).catch(function () {
      if (mine === sequence) preview.textContent = msg("preview-failed");
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refreshPreview, 350);
  }

  // Ordering items in the preview move like on the exam page.
  preview.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (button && window.HoiThi && window.HoiThi.handleMove) window.HoiThi.handleMove(button);
  });

  function insertAtCursor(field, text) {
    var start = field.selectionStart || 0;
    var end = field.selectionEnd || 0;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.selectionStart = field.selectionEnd = start + text.length;
    field.focus();
  }

  var mediaBox = form.querySelector(".media-insert");
  var mediaInput = document.getElementById("media-file");
  var mediaStatus = document.getElementById("media-status");
  if (mediaBox && mediaInput) {
    mediaBox.hidden = false;
    mediaInput.addEventListener("change", function () {
      if (!mediaInput.files.length) return;
      var body = new FormData();
      body.append("image", mediaInput.files[0]);
      body.append("csrfmiddlewaretoken", form.querySelector('input[name="csrfmiddlewaretoken"]').value);
      mediaStatus.textContent = msg("uploading");
      fetch(form.getAttribute("data-media-url"), {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          mediaStatus.textContent = (result.data.errors || [msg("upload-failed")]).join(" ");
          return;
        }
        insertAtCursor(stem, result.data.snippet);
        mediaStatus.textContent = msg("inserted");
        mediaInput.value = "";
        schedule();
      }).catch(function () { mediaStatus.textContent = msg("upload-failed"); });
    });
  }

  typeSelect.addEventListener("change", function () { showTypeFields(); schedule(); });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  showTypeFields();
  if (stem.value.trim()) refreshPreview(); // a blank new question has nothing to show yet
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
