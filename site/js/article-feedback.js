// "Was this article helpful?" in place: the same forms the page posts without script, sent
// with Accept: application/json; the answer shows the same thank-you the anchors show.
(function () {
  "use strict";

  var box = document.querySelector("[data-article-feedback]");
  if (!box || !window.fetch) return;
  var status = box.querySelector("[data-feedback-status]");
  var commentError = box.querySelector("[data-feedback-error]");

  function send(form, submitter) {
    var body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    return fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    });
  }

  function showPart(name) {
    box.setAttribute("data-feedback-state", name);
    var part = box.querySelector('[data-feedback-part="' + name + '"]');
    if (part) part.focus();
  }

  function problem(answer) {
    var error = (answer && answer.error) || {};
    var fields = error.fields || {};
    var first = Object.keys(fields)[0];
    return first ? fields[first].join(" ") : error.message || "Something went wrong; please try again.";
  }

  function wire(form, onDone, onError) {
    if (!form) return;
    var sending = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      sending = true;
      status.textContent = "";
      send(form, event.submitter)
        .then(function (result) { (result.ok ? onDone : onError)(result.answer); })
        .catch(function () { onError(null); })
        .then(function () { sending = false; });
    });
  }

  // Back from a post without script (or a link to a thank-you): carry on from that part.
  var arrived = /^#feedback-(yes|no|sent)$/.exec(window.location.hash);
  if (arrived) box.setAttribute("data-feedback-state", arrived[1]);

  wire(box.querySelector("[data-feedback-vote]"), function (answer) { showPart(answer.answer); }, function (answer) {
    status.textContent = answer ? problem(answer) : "We could not reach the server; please try again.";
  });

  wire(box.querySelector("[data-feedback-comment]"), function () {
    commentError.hidden = true;
    showPart("sent");
  }, function (answer) {
    commentError.textContent = answer ? problem(answer) : "We could not reach the server; please try again.";
    commentError.hidden = false;
    box.querySelector("#feedback-comment").setAttribute("aria-invalid", "true");
  });
})();
