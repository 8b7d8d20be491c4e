/* The scorecard: htmx saves each answer as it is chosen. An answer that could not be sent (no
   connection, server unavailable) is kept in localStorage and sent again when the connection is
   back, every 15 seconds, and when the page is opened again — so a lost connection loses nothing.
   Answers the server refuses (4xx) show its message and are not retried. */
(function () {
  "use strict";
  var root = document.querySelector("[data-scorecard]");
  if (!root || !window.htmx) { return; }
  var key = "ocop-scorecard-" + root.getAttribute("data-scorecard");

  function queue() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(q) {
    try {
      if (Object.keys(q).length) { window.localStorage.setItem(key, JSON.stringify(q)); }
      else { window.localStorage.removeItem(key); }
    } catch (e) { /* storage full or disabled: the mark on the page still shows it */ }
  }
  function criterionForm(elt) { return elt && elt.closest ? elt.closest("form[data-criterion]") : null; }
  function mark(form, css, text) {
    var m = form.querySelector(".saved-mark");
    if (m) { m.className = "saved-mark small " + css; m.textContent = text; }
  }
  function values(form) {
    var checked = form.querySelector("input[name=option]:checked");
    return {
      option: checked ? checked.value : "",
      comment: (form.querySelector("input[name=comment]") || {}).value || "",
      evidence_url: (form.querySelector("input[name=evidence_url]") || {}).value || ""
    };
  }
  function restore(form, v) {
    form.querySelectorAll("input[name=option]").forEach(function (r) { r.checked = r.value === v.option; });
    var c = form.querySelector("input[name=comment]"); if (c) { c.value = v.comment; }
    var e = form.querySelector("input[name=evidence_url]"); if (e) { e.value = v.evidence_url; }
  }
  function keep(form) {
    var q = queue();
    q[form.getAttribute("data-criterion")] = values(form);
    store(q);
    mark(form, "text-warning", root.getAttribute("data-msg-offline"));
  }
  function forget(form) {
    var q = queue();
    delete q[form.getAttribute("data-criterion")];
    store(q);
  }
  function flush() {
    var q = queue();
    Object.keys(q).forEach(function (id) {
      var form = root.querySelector('form[data-criterion="' + id + '"]');
      if (!form) { return; }
      restore(form, q[id]);
      window.htmx.trigger(form, "change");
    });
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = criterionForm(event.detail.elt);
    if (form) { mark(form, "text-secondary", root.getAttribute("data-msg-saving")); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = criterionForm(event.detail.elt);
    if (!form) { return; }
    var xhr = event.detail.xhr;
    if (event.detail.successful) { forget(form); return; }
    if (xhr && xhr.status >= 400 && xhr.status < 500) {
      forget(form);
      mark(form, "text-danger", xhr.responseText || "");
      return;
    }
    keep(form);
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var form = criterionForm(event.detail.elt);
    if (form) { keep(form); }
  });

  var submit = document.querySelector("[data-submit-scorecard]");
  if (submit) {
    submit.addEventListener("submit", function (event) {
      if (Object.keys(queue()).length) {
        event.preventDefault();
        window.alert(root.getAttribute("data-msg-pending"));
        flush();
      }
    });
  }
  window.addEventListener("online", flush);
  window.setInterval(function () { if (Object.keys(queue()).length) { flush(); } }, 15000);
  flush();
})();
