// Every page: shows who is signed in. Pages work without it.
(function () {
  "use strict";

  // One request per page; the form script waits on the same answer.
  var session = fetch("/web/session", { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { signed_in: false }; })
    .catch(function () { return null; }); // unknown: leave the page as the server sent it
  window.partnerSession = session;

  session.then(function (state) {
    if (!state) return;
    document.querySelectorAll("[data-session-signed-in]").forEach(function (el) { el.hidden = !state.signed_in; });
    document.querySelectorAll("[data-session-signed-out]").forEach(function (el) { el.hidden = state.signed_in; });
    if (state.signed_in) {
      document.querySelectorAll("[data-session-name]").forEach(function (el) {
        el.textContent = state.partner.contact_name;
      });
    }
  });
})();
