/*
 * Upload the file of a practical ("file") question over HTTP (multipart, CSRF token in a
 * header). The server stores it and answers {"upload_id", "name", "size"}; the page then sends
 * the ordinary `answer` message with {"upload_id": n}, so the answer is acknowledged after
 * commit like every other (docs/protocol.md). XMLHttpRequest rather than fetch: it reports
 * upload progress, which matters for a 10 MB file on a slow connection.
 */
(function (global) {
  "use strict";

  var HoiThi = global.HoiThi || (global.HoiThi = {});

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  /* A message when the file cannot be accepted (checked again on the server), else "". */
  HoiThi.checkAnswerFile = function (file, definition, labels) {
    if (!file) return labels.none;
    var accept = (definition.accept || []).map(function (a) { return a.toLowerCase(); });
    if (accept.length && accept.indexOf(extensionOf(file.name)) === -1) {
      return labels.wrongType.replace("%(accept)s", accept.join(", "));
    }
    if (definition.max_bytes && file.size > definition.max_bytes) return labels.tooBig;
    return "";
  };

  /* POST `file` to `url`; onProgress(percent), then done(error message or "", result). */
  HoiThi.uploadAnswerFile = function (url, csrfToken, file, labels, onProgress, done) {
    var request = new XMLHttpRequest();
    var body = new FormData();
    body.append("file", file);
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener("load", function () {
      var data = null;
      try { data = JSON.parse(request.responseText); } catch (e) { data = null; }
      if (request.status === 200 && data && data.upload_id) done("", data);
      else done((data && data.error) || labels.failed, null);
    });
    request.addEventListener("error", function () { done(labels.offline, null); });
    request.send(body);
  };
  /* The upload button of a file question's answer area (static/js/question-render.js): check,
     upload with a progress bar and a spoken status; uploaded(result) once the file is stored. */
  HoiThi.runAnswerUpload = function (area, options, uploaded) {
    var labels = options.labels;
    var input = area.querySelector("[data-file-input]");
    var status = area.querySelector("[data-file-status]");
    var bar = area.querySelector("progress");
    var file = input.files && input.files[0];
    var problem = options.open ? HoiThi.checkAnswerFile(file, options.definition, labels) : labels.closed;
    status.removeAttribute("data-state");
    if (problem) { status.setAttribute("data-state", "error"); status.textContent = problem; input.focus(); return; }
    status.textContent = labels.uploading;
    bar.value = 0;
    bar.hidden = false;
    HoiThi.uploadAnswerFile(options.url, options.csrfToken, file, labels, function (percent) {
      bar.value = percent;
    }, function (error, result) {
      bar.hidden = true;
      if (error) { status.setAttribute("data-state", "error"); status.textContent = error; return; }
      status.textContent = labels.uploaded;
      input.value = "";
      uploaded(result);
    });
  };
})(window);
