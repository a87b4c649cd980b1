// Sen — small enhancements; every page works without this file.
// Search-box suggestions: titles of datasets the visitor may see, accents optional.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (timer) clearTimeout(timer);
    if (q.length < 2 || q === last) return;
    timer = setTimeout(function () {
      last = q;
      fetch("/api/v1/suggest?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          while (list.firstChild) list.removeChild(list.firstChild);
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.title;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();

// Uploads: drag and drop onto the file field, and a progress bar while the
// file is sent (XMLHttpRequest reports upload progress; fetch does not).
(function () {
  "use strict";
  var form = document.querySelector("form.upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector("input[type=file]");
  var nameOut = form.querySelector("[data-file-name]");
  var box = form.querySelector("[data-progress]");
  var bar = box && box.querySelector("progress");
  var text = box && box.querySelector("[data-progress-text]");
  function showName() {
    if (nameOut && input.files && input.files.length) nameOut.textContent = input.files[0].name;
  }
  if (zone && input) {
    input.addEventListener("change", showName);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragover"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        showName();
      }
    });
  }
  var clicked = null;
  form.addEventListener("click", function (e) {
    if (e.target && e.target.name === "then") clicked = e.target;
  });
  form.addEventListener("submit", function (e) {
    if (!input || !input.files || !input.files.length || !box) return;
    e.preventDefault();
    var data = new FormData(form);
    if (clicked) data.set("then", clicked.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    box.hidden = false;
    xhr.upload.addEventListener("progress", function (p) {
      if (!p.lengthComputable) return;
      var pct = Math.floor((p.loaded / p.total) * 100);
      bar.value = pct;
      text.textContent = pct + "%";
    });
    xhr.addEventListener("load", function () {
      // A redirect (success) was followed: go where it led. Otherwise the
      // answer is the form again, with its messages.
      if (xhr.responseURL && xhr.responseURL.split("#")[0] !== form.action) {
        window.location.assign(xhr.responseURL);
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener("error", function () {
      box.hidden = true;
      text.textContent = form.getAttribute("data-failed") || "";
    });
    xhr.send(data);
  });
})();
